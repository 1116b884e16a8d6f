/**
 * One validator per answer, shared by flags, prompts and the answers-file reader. Each takes the raw text the user
 * typed and returns the typed value, or throws a CliError('invalid_answer') with one clear sentence. Pure.
 */
import { CliError, quoteValue } from '../errors.js';
import { frameworks, type FrameworkId } from '../stack/frameworks.js';
import { providers, type ProviderId } from '../providers/index.js';
import { transports, type TransportId } from '../stack/transports.js';
import { runtimes, type RuntimeId } from '../stack/runtimes.js';
import { packageManagers, type PackageManagerId } from '../install/package-managers.js';
import { packageNameProblem } from './package-name.js';
import { checkUserText } from './user-text.js';
import { tokenFormats, type TokenFormat } from './project-choices.js';

/** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** Hostnames for which an http issuer is acceptable (OAuth 2.1 §1.5 allows http only on loopback). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Longest audience we accept; real ones are URLs or short identifiers. */
export const MAX_AUDIENCE_LENGTH = 2048;

function invalid(message: string): CliError {
  return new CliError('invalid_answer', message);
}

function oneOf<Row extends { id: string }>(subject: string, rows: readonly Row[], raw: string): Row['id'] {
  const row = rows.find((r) => r.id === raw);
  if (!row) {
    throw invalid(`${subject} must be one of ${rows.map((r) => r.id).join(', ')} (got ${quoteValue(raw)})`);
  }
  return row.id;
}

/** The [dir] argument: any path, but no control characters anywhere in it (not only in the last segment). */
export function validateTargetDir(raw: string): string {
  checkUserText('directory', raw);
  if (raw.trim() === '') throw invalid('directory must not be empty');
  return raw;
}

export function validateProjectName(raw: string): string {
  checkUserText('project name', raw);
  const problem = packageNameProblem(raw);
  if (problem) throw invalid(`project name ${quoteValue(raw)} is not a valid npm package name: it ${problem}`);
  return raw;
}

export const validateProvider = (raw: string): ProviderId => oneOf('provider', providers, raw);
export const validateFramework = (raw: string): FrameworkId => oneOf('framework', frameworks, raw);
export const validateTransport = (raw: string): TransportId => oneOf('transport', transports, raw);
/** The runtime alone; whether it can serve the framework, transport and mode is `validateRuntimeFor` (project-choices.ts). */
export const validateRuntime = (raw: string): RuntimeId => oneOf('runtime', runtimes, raw);
/** The format alone; whether the provider can serve it is `validateTokenFormatFor` (project-choices.ts). */
export const validateTokenFormat = (raw: string): TokenFormat => oneOf('token format', tokenFormats, raw);
export const validatePackageManager = (raw: string): PackageManagerId =>
  oneOf('package manager', packageManagers, raw);

/** Checks an already split list of scopes (the answers file stores an array). */
export function validateScopeList(scopes: readonly string[]): string[] {
  if (scopes.length === 0) throw invalid('scopes must list at least one scope, e.g. read,write');
  const seen = new Set<string>();
  for (const scope of scopes) {
    checkUserText('scopes', scope);
    if (scope === '') throw invalid('scopes must not contain an empty entry (check for doubled or trailing commas)');
    if (!SCOPE_TOKEN.test(scope)) {
      throw invalid(
        `scope ${quoteValue(scope)} is not an OAuth scope token (RFC 6749 §3.3: printable ASCII, no spaces, " or \\)`,
      );
    }
    if (scope === 'offline_access') {
      throw invalid(
        'scope "offline_access" asks the authorization server for a refresh token; it is never a resource scope, remove it',
      );
    }
    if (seen.has(scope)) throw invalid(`scope ${quoteValue(scope)} is listed twice`);
    seen.add(scope);
  }
  return [...scopes];
}

/** `read,write` → ['read', 'write']; spaces around commas are forgiven, spaces inside a scope are not. */
export function validateScopes(raw: string): string[] {
  checkUserText('scopes', raw);
  if (raw.trim() === '') return validateScopeList([]);
  return validateScopeList(raw.split(',').map((s) => s.trim()));
}

/** The issuer exactly as typed: it must equal the `iss` claim byte for byte, so it is checked, never normalized. */
export function validateIssuer(raw: string): string {
  checkUserText('issuer', raw);
  const example = 'such as https://auth.example.com';
  if (/\s/.test(raw)) throw invalid(`issuer must not contain spaces (got ${quoteValue(raw)})`);
  // RFC 3986 characters only: an issuer is compared byte for byte and lands in .env, JSON and TypeScript, so anything
  // a URI cannot hold (quotes, backslashes, backticks, <>, {}, |, ^, non-ASCII) is refused up front, clearly.
  const notUri = raw.match(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/u);
  if (notUri) {
    throw invalid(`issuer must be a URL written with URI characters only; percent-encode ${quoteValue(notUri[0])} (got ${quoteValue(raw)})`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`issuer must be an absolute URL ${example} (got ${quoteValue(raw)})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`issuer must be an https URL ${example} (got ${quoteValue(raw)})`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw invalid(
      `issuer must use https; http is only allowed for localhost, 127.0.0.1 and [::1] (got ${quoteValue(raw)})`,
    );
  }
  // Checked on the raw text too: `https://x/?` parses to an empty search but still is not a valid issuer.
  if (url.search || raw.includes('?')) throw invalid(`issuer must not have a query (got ${quoteValue(raw)})`);
  if (url.hash || raw.includes('#')) throw invalid(`issuer must not have a fragment (got ${quoteValue(raw)})`);
  if (url.username || url.password) throw invalid('issuer must not contain a user name or password');
  return raw;
}

/** Empty means "not set": the generated server then expects its own MCP URL as the audience. */
export function validateAudience(raw: string): string | undefined {
  if (raw === '') return undefined;
  checkUserText('audience', raw, { maxLength: MAX_AUDIENCE_LENGTH });
  if (raw.trim() !== raw) throw invalid(`audience must not start or end with spaces (got ${quoteValue(raw)})`);
  // It lands in .env, which can quote a value with ' or with " but not with both (nor ' with a backslash).
  if (raw.includes("'") && (raw.includes('"') || raw.includes('\\'))) {
    throw invalid(`audience must not contain both ' and " or \\ (got ${quoteValue(raw)})`);
  }
  return raw;
}
