/**
 * `create-mcp-auth-server doctor [dir]`: checks the live provider against a generated project (its
 * .mcp-auth-server.json and .env) or against any issuer (`--issuer`), line by line, and says whether MCP clients
 * will work. `--token <jwt>` also checks a sample access token. Resolves `ready`; the entry file turns it into the
 * exit code (0 ready, 1 not).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ANSWERS_FILE, readAnswersFile } from '../answers/answers-file.js';
import { validateAudience, validateIssuer, validateProvider } from '../answers/validate.js';
import { checkProvider, checkToken, type DoctorTarget } from './checks.js';
import { formatFinding, isReady } from './findings.js';
import { CliError } from '../errors.js';
import type { Logger } from '../logger.js';
import { getProvider } from '../providers/index.js';
import { tokenRulesFor } from '../providers/token-rules.js';

export interface DoctorArgs {
  dir?: string;
  issuer?: string;
  provider?: string;
  audience?: string;
  token?: string;
  mcpUrl?: string;
}

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

const truthy = (value: string | undefined) => value === '1' || value === 'true';

/** The configuration to check: flags > the environment > .env > the answers file. */
export async function resolveDoctorTarget(args: DoctorArgs, cwd: string, env: NodeJS.ProcessEnv): Promise<DoctorTarget> {
  const dir = resolve(cwd, args.dir ?? '.');
  const inProject = existsSync(join(dir, ANSWERS_FILE));
  if (!inProject && args.issuer === undefined) {
    throw new CliError('invalid_argument', `no ${ANSWERS_FILE} in ${dir}: run doctor inside a generated project, or pass --issuer <url>`);
  }
  const answers = inProject ? (await readAnswersFile(dir)).answers : undefined;
  // Outside a project the shell environment is not this server's: only flags count.
  const vars: Record<string, string | undefined> = inProject ? { ...readEnvFile(join(dir, '.env')), ...env } : {};
  const preset = getProvider(validateProvider(args.provider ?? answers?.provider ?? 'oidc'));
  const issuer = validateIssuer(args.issuer ?? (vars['AUTH_ISSUER'] || undefined) ?? answers?.issuer ?? '');
  const port = vars['PORT'] || '3000';
  const mcpUrl = args.mcpUrl ?? (vars['MCP_SERVER_URL'] || `http://localhost:${port}/mcp`);
  const audienceText = args.audience ?? (vars['AUTH_AUDIENCE'] || undefined) ?? answers?.audience ?? '';
  if (args.audience !== undefined) validateAudience(args.audience);
  const audiences = [...new Set([...audienceText.split(',').map((value) => value.trim()).filter(Boolean), mcpUrl])];
  const inputs = answers?.providerInputs ?? {};
  return {
    issuer,
    preset,
    audiences,
    scopes: answers?.scopes ?? [],
    tokenFormat: (vars['AUTH_TOKEN_FORMAT'] as 'jwt' | 'opaque' | undefined) || (inProject ? 'jwt' : preset.token.format),
    metadataShim: truthy(vars['AUTH_SERVER_METADATA_SHIM']),
    audienceOptional: truthy(vars['AUTH_AUDIENCE_OPTIONAL']),
    rules: tokenRulesFor(preset, inputs),
    introspection: {
      ...(vars['AUTH_INTROSPECTION_ENDPOINT'] ? { endpoint: vars['AUTH_INTROSPECTION_ENDPOINT'] } : {}),
      hasCredentials: Boolean(vars['AUTH_INTROSPECTION_TOKEN'] || vars['AUTH_INTROSPECTION_CLIENT_ID']),
    },
  };
}

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
  log.info(`Checking ${target.preset.label} at ${target.issuer} (${target.tokenFormat} tokens)`);

  // 2. The provider, live: metadata, issuer, PKCE, registration, keys or introspection.
  const provider = await checkProvider(target, io.fetch ?? fetch);
  for (const finding of provider.findings) for (const line of formatFinding(finding)) log.info(line);

  // 3. A sample token, when given.
  let findings = provider.findings;
  if (args.token !== undefined) {
    const token = args.token.replace(/^Bearer\s+/i, '').trim();
    log.info('Sample token:');
    const tokenFindings = checkToken(token, target, provider.keys);
    for (const finding of tokenFindings) for (const line of formatFinding(finding)) log.info(line);
    findings = [...findings, ...tokenFindings];
  }

  // 4. Verdict.
  const ready = isReady(findings);
  const failures = findings.filter((finding) => finding.status === 'fail').length;
  log.info(ready ? 'Ready: MCP clients can use this provider with this server.' : `Not ready: ${failures} problem(s) above.`);
  return { ready };
}
