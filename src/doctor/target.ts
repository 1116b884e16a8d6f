/** What `doctor` checks against: the project's configuration as its server would read it, or flags alone. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ANSWERS_FILE, readAnswersFile } from '../answers/answers-file.js';
import { resolveChoices, tokenFormats, type TokenFormat } from '../answers/project-choices.js';
import { validateAudience, validateIssuer, validateProvider, validateTokenFormat } from '../answers/validate.js';
import { CliError, quoteValue } from '../errors.js';
import { getProvider } from '../providers/index.js';
import type { ProviderPreset } from '../providers/provider-preset.js';
import { tokenRulesFor, type TokenRules } from '../providers/token-rules.js';

export interface DoctorTarget {
  /** The issuer exactly as configured. */
  issuer: string;
  preset: ProviderPreset;
  /** Accepted audiences (AUTH_AUDIENCE entries and the MCP server URL). */
  audiences: string[];
  /** The MCP server URL (MCP_SERVER_URL): the resource tokens are accepted for. */
  mcpUrl: string;
  /** The scopes the tools need. */
  scopes: string[];
  tokenFormat: TokenFormat;
  metadataShim: boolean;
  /** AUTH_AUDIENCE_OPTIONAL=1: tokens without `aud` are accepted. */
  audienceOptional?: boolean;
  /** The token rules the generated server enforces (the very object its `src/auth/provider.ts` holds). */
  rules: TokenRules;
  introspection: { endpoint?: string; hasCredentials: boolean };
  /** AUTH_METADATA_URL / AUTH_JWKS_URI (the environment, .env), else the answers file's; absent: discovery. */
  manualDiscovery?: { metadataUrl?: string; jwksUri?: string };
  /** Broker projects (answers `broker: true`): the app registered at the provider, checked by broker-checks.ts. */
  broker?: BrokerTarget;
}

/** A broker project's settings as its server reads them (the environment, then .env). Secrets never get printed. */
export interface BrokerTarget {
  /** How the broker identifies users: a verified ID token (OpenID providers) or the provider's user API (GitHub-like). */
  identity: 'id-token' | 'user-api';
  clientId?: string;
  clientSecret?: string;
  brokerSecret?: string;
  /** `user-api` providers: their endpoints (AUTH_AUTHORIZATION_URL, AUTH_TOKEN_URL, AUTH_USERINFO_URL, else the preset's). */
  endpoints: { authorization?: string; token?: string; userinfo?: string };
  /** What to register at the provider: `<origin of MCP_SERVER_URL>/oauth/callback`. */
  callbackUrl: string;
  /** `--url`: the running MCP server whose authorization server metadata to check. */
  serverUrl?: string;
}

export interface DoctorArgs {
  dir?: string;
  issuer?: string;
  provider?: string;
  audience?: string;
  /** `--token-format`: jwt or opaque (validated in resolveDoctorTarget). */
  tokenFormat?: string;
  token?: string;
  mcpUrl?: string;
  /** `--url`: a running server (broker projects: its metadata is checked). */
  url?: string;
}

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** JSON with comments (wrangler.jsonc): line and block comments outside strings, and trailing commas, removed. */
export function parseJsonc(text: string): unknown {
  let json = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"') {
      const end = stringEnd(text, index);
      json += text.slice(index, end);
      index = end - 1;
    } else if (char === '/' && text[index + 1] === '/') index = text.indexOf('\n', index) === -1 ? text.length : text.indexOf('\n', index) - 1;
    else if (char === '/' && text[index + 1] === '*') index = text.indexOf('*/', index + 2) === -1 ? text.length : text.indexOf('*/', index + 2) + 1;
    else if (char === '}' || char === ']') json = `${json.replace(/,(\s*)$/, '$1')}${char}`;
    else json += char;
  }
  return JSON.parse(json);
}

/** The index just past the string literal that starts at `start` (a `"`), escapes included. */
function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index + 1;
  }
  return text.length;
}

/** A Worker's settings as `wrangler dev` reads them: wrangler.jsonc's `vars`, then .dev.vars over them. */
function readWorkerVars(dir: string): Record<string, string> {
  const config = join(dir, 'wrangler.jsonc');
  const parsed = existsSync(config) ? (parseJsonc(readFileSync(config, 'utf8')) as { vars?: Record<string, unknown> }) : {};
  const vars = Object.fromEntries(Object.entries(parsed.vars ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return { ...vars, ...readEnvFile(join(dir, '.dev.vars')) };
}

const truthy = (value: string | undefined) => value === '1' || value === 'true';

/** `--token-format`, else AUTH_TOKEN_FORMAT (the environment, then .env), checked as the server's config checks it. */
function givenTokenFormat(flag: string | undefined, vars: Record<string, string | undefined>): TokenFormat | undefined {
  if (flag !== undefined) return validateTokenFormat(flag);
  const value = vars['AUTH_TOKEN_FORMAT'] || undefined;
  if (value === undefined) return undefined;
  const format = tokenFormats.find((row) => row.id === value);
  if (format) return format.id;
  throw new CliError('invalid_answer', `AUTH_TOKEN_FORMAT must be one of ${tokenFormats.map((row) => row.id).join(', ')} (got ${quoteValue(value)})`);
}

/** The escape hatch's URL: set in the environment or .env (even empty: then none), else the answers file's. */
function manualDiscoveryOf(vars: Record<string, string | undefined>, answers: { metadataUrl?: string; jwksUri?: string } | undefined): Pick<DoctorTarget, 'manualDiscovery'> {
  const inVars = vars['AUTH_METADATA_URL'] !== undefined || vars['AUTH_JWKS_URI'] !== undefined;
  const metadataUrl = inVars ? vars['AUTH_METADATA_URL'] || undefined : answers?.metadataUrl;
  const jwksUri = inVars ? vars['AUTH_JWKS_URI'] || undefined : answers?.jwksUri;
  if (metadataUrl !== undefined && jwksUri !== undefined) throw new CliError('invalid_answer', 'AUTH_METADATA_URL and AUTH_JWKS_URI are both set: the server refuses that, set one');
  if (metadataUrl !== undefined) return { manualDiscovery: { metadataUrl } };
  return jwksUri !== undefined ? { manualDiscovery: { jwksUri } } : {};
}

/** The configuration to check: flags > the environment > .env (a Worker's: .dev.vars > wrangler.jsonc vars) > the answers file. */
export async function resolveDoctorTarget(args: DoctorArgs, cwd: string, env: NodeJS.ProcessEnv): Promise<DoctorTarget> {
  const dir = resolve(cwd, args.dir ?? '.');
  const inProject = existsSync(join(dir, ANSWERS_FILE));
  if (!inProject && args.issuer === undefined) {
    throw new CliError('invalid_argument', `no ${ANSWERS_FILE} in ${dir}: run doctor inside a generated project, or pass --issuer <url>`);
  }
  const answers = inProject ? (await readAnswersFile(dir)).answers : undefined;
  // Outside a project the shell environment is not this server's: only flags count.
  // A Worker has no .env: its settings are wrangler.jsonc's vars and .dev.vars (as `wrangler dev` reads them).
  const fileVars = answers?.runtime === 'workers' ? readWorkerVars(dir) : readEnvFile(join(dir, '.env'));
  const vars: Record<string, string | undefined> = inProject ? { ...fileVars, ...env } : {};
  const preset = getProvider(validateProvider(args.provider ?? answers?.provider ?? 'oidc'));
  const issuer = validateIssuer(args.issuer ?? (vars['AUTH_ISSUER'] || undefined) ?? answers?.issuer ?? '');
  const port = vars['PORT'] || '3000';
  const mcpUrl = args.mcpUrl ?? (vars['MCP_SERVER_URL'] || `http://localhost:${port}/mcp`);
  const audienceText = args.audience ?? (vars['AUTH_AUDIENCE'] || undefined) ?? answers?.audience ?? '';
  if (args.audience !== undefined) validateAudience(args.audience);
  const audiences = [...new Set([...audienceText.split(',').map((value) => value.trim()).filter(Boolean), mcpUrl])];
  const inputs = answers?.providerInputs ?? {};
  // Last, the format the project was made for (resolveChoices: recorded, or its preset's when unrecorded).
  const tokenFormat = givenTokenFormat(args.tokenFormat, vars) ?? (answers ? resolveChoices(answers).tokenFormat : preset.token.format);
  return {
    issuer,
    preset,
    audiences,
    mcpUrl,
    scopes: answers?.scopes ?? [],
    tokenFormat,
    metadataShim: truthy(vars['AUTH_SERVER_METADATA_SHIM']),
    audienceOptional: truthy(vars['AUTH_AUDIENCE_OPTIONAL']),
    rules: tokenRulesFor(preset, inputs),
    ...(answers && resolveChoices(answers).broker && preset.broker ? { broker: brokerTarget(preset, inputs, vars, mcpUrl, args.url) } : {}),
    introspection: {
      ...(vars['AUTH_INTROSPECTION_ENDPOINT'] ? { endpoint: vars['AUTH_INTROSPECTION_ENDPOINT'] } : {}),
      hasCredentials: Boolean(vars['AUTH_INTROSPECTION_TOKEN'] || vars['AUTH_INTROSPECTION_CLIENT_ID']),
    },
    ...manualDiscoveryOf(vars, answers),
  };
}

/** A preset endpoint with its `{input}` placeholders filled from the recorded inputs; undefined while one is missing. */
function presetEndpoint(template: string | undefined, inputs: Readonly<Record<string, string>>): string | undefined {
  const filled = template?.replace(/\{(\w+)\}/g, (whole, name: string) => inputs[name] ?? whole);
  return filled && !/\{\w+\}/.test(filled) ? filled : undefined;
}

function brokerTarget(preset: ProviderPreset, inputs: Readonly<Record<string, string>>, vars: Record<string, string | undefined>, mcpUrl: string, serverUrl: string | undefined): BrokerTarget {
  const broker = preset.broker!;
  const value = (name: string) => vars[name] || undefined;
  const endpoint = (name: string, key: 'authorization' | 'token' | 'userinfo') => value(name) ?? presetEndpoint(broker.endpoints?.[key], inputs);
  const optional = <T extends object>(entries: T) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
  return {
    identity: broker.identity,
    ...optional({ clientId: value('AUTH_CLIENT_ID'), clientSecret: value('AUTH_CLIENT_SECRET'), brokerSecret: value('AUTH_BROKER_SECRET'), serverUrl }),
    endpoints: broker.identity === 'user-api'
      ? optional({ authorization: endpoint('AUTH_AUTHORIZATION_URL', 'authorization'), token: endpoint('AUTH_TOKEN_URL', 'token'), userinfo: endpoint('AUTH_USERINFO_URL', 'userinfo') })
      : {},
    callbackUrl: new URL('/oauth/callback', mcpUrl).href,
  };
}
