/**
 * `create-mcp-auth-server doctor [dir]`: checks the live provider against a generated project (its
 * .mcp-auth-server.json and .env) or against any issuer (`--issuer`), line by line, and says whether MCP clients
 * will work. `--token <jwt>` also checks a sample access token. Resolves `ready`; the entry file turns it into the
 * exit code (0 ready, 1 not).
 */
import type { Logger } from '../logger.js';
import { checkBroker } from './broker-checks.js';
import { formatFinding, isReady, type Finding } from './findings.js';
import { checkManualDiscovery, checkProvider } from './provider-checks.js';
import { resolveDoctorTarget, type DoctorArgs } from './target.js';
import { checkToken } from './token-check.js';

export type { DoctorArgs } from './target.js';

export interface DoctorIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  fetch?: typeof fetch;
}

export async function doctor(args: DoctorArgs, io: DoctorIO): Promise<{ ready: boolean }> {
  // 1. What to check.
  const target = await resolveDoctorTarget(args, io.cwd, io.env);
  const log = io.logger;

  // 2. The provider, live. A broker project: its app at the provider (the broker issues the tokens MCP clients get);
  // otherwise: metadata, issuer, PKCE, registration, keys or introspection.
  let findings: Finding[];
  if (target.broker) {
    log.info(`Checking the broker's app at ${target.preset.label.replace(/\s*\(.*\)$/, '')} (${target.issuer})`);
    findings = await checkBroker(target, target.broker, io.fetch ?? fetch);
  } else {
    log.info(`Checking ${target.preset.label} at ${target.issuer} (${target.tokenFormat} tokens)`);
    // Projects made with --metadata-url / --jwks-uri: the URL they are given instead of discovery.
    findings = (target.manualDiscovery ? await checkManualDiscovery(target, io.fetch ?? fetch) : await checkProvider(target, io.fetch ?? fetch)).findings;
  }
  for (const finding of findings) for (const line of formatFinding(finding)) log.info(line);

  // 3. A sample token, when given: checked by the generated server's own verifier (resource-server projects).
  if (args.token !== undefined && target.broker) log.info('  · --token is not checked in a broker project: the broker issues and checks its own tokens.');
  if (args.token !== undefined && !target.broker) {
    const token = args.token.replace(/^Bearer\s+/i, '').trim();
    log.info('Sample token:');
    const tokenFindings = await checkToken(token, target, io.fetch);
    for (const finding of tokenFindings) for (const line of formatFinding(finding)) log.info(line);
    findings = [...findings, ...tokenFindings];
  }

  // 4. Verdict.
  const ready = isReady(findings);
  const failures = findings.filter((finding) => finding.status === 'fail').length;
  log.info(ready ? 'Ready: MCP clients can use this provider with this server.' : `Not ready: ${failures} problem(s) above.`);
  return { ready };
}
