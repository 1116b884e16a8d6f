/**
 * What `doctor` checks, as functions from fetched documents (and a pasted token) to findings. Network access goes
 * through the `fetch` passed in, so tests point it at local servers.
 */
import type { ProviderPreset } from '../providers/provider-preset.js';
import type { TokenRules } from '../providers/token-rules.js';
import { algorithmsOfKey, decodeJwt, verifySignature, type Jwk } from './jwks.js';
import type { Finding } from './findings.js';

export interface DoctorTarget {
  /** The issuer exactly as configured. */
  issuer: string;
  preset: ProviderPreset;
  /** Accepted audiences (AUTH_AUDIENCE entries and the MCP server URL). */
  audiences: string[];
  /** The scopes the tools need. */
  scopes: string[];
  tokenFormat: 'jwt' | 'opaque';
  metadataShim: boolean;
  /** AUTH_AUDIENCE_OPTIONAL=1: tokens without `aud` are accepted. */
  audienceOptional?: boolean;
  /** The token rules the generated server enforces (the very object its `src/auth/provider.ts` holds). */
  rules: TokenRules;
  introspection: { endpoint?: string; hasCredentials: boolean };
}

export interface ProviderCheck {
  findings: Finding[];
  metadata?: Record<string, unknown>;
  keys?: Jwk[];
}

const TIMEOUT_MS = 5000;

/** The metadata URLs MCP clients try, in their order (MCP 2025-11-25, authorization server discovery). */
export function clientProbeOrder(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const at = (wellKnown: string) => new URL(`${wellKnown}${path}`, url.origin).href;
  if (!path) return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration')];
  return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration'), new URL(`${path}/.well-known/openid-configuration`, url.origin).href];
}

async function getJson(doFetch: typeof fetch, url: string): Promise<{ status: number; json?: unknown; error?: string }> {
  try {
    const response = await doFetch(url, { headers: { Accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    try {
      return { status: response.status, json: JSON.parse(text) as unknown };
    } catch {
      return { status: response.status };
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}

export async function checkProvider(target: DoctorTarget, doFetch: typeof fetch = fetch): Promise<ProviderCheck> {
  const findings: Finding[] = [];
  const { preset } = target;

  // 1. Metadata, found the way MCP clients look for it.
  const probes = clientProbeOrder(target.issuer);
  const tried: string[] = [];
  let metadata: Record<string, unknown> | undefined;
  let foundAt = '';
  for (const [index, url] of probes.entries()) {
    const answer = await getJson(doFetch, url);
    tried.push(`${index + 1}. ${url} → ${answer.status || answer.error}`);
    if (answer.status === 200 && answer.json && typeof answer.json === 'object') {
      metadata = answer.json as Record<string, unknown>;
      foundAt = `probe ${index + 1} of ${probes.length}`;
      break;
    }
  }
  if (!metadata) {
    const unreachable = tried.every((line) => / → [^\d]/.test(line));
    findings.push({
      status: 'fail',
      message: unreachable ? `the provider is unreachable at ${target.issuer}` : `no authorization server metadata for ${target.issuer}`,
      detail: `MCP clients try these, in order, and found nothing:\n${tried.join('\n')}\nCheck the issuer (copy it from the provider's discovery document).`,
    });
    return { findings };
  }
  findings.push({ status: 'pass', message: `metadata found at ${tried.at(-1)!.replace(/^\d+\. /, '').replace(/ → .*$/, '')} (${foundAt})`, ...(tried.length > 1 ? { detail: tried.join('\n') } : {}) });

  // 2. Issuer: byte for byte (RFC 8414 §3.3); clients and this server compare it exactly.
  if (metadata['issuer'] === target.issuer) {
    findings.push({ status: 'pass', message: `issuer matches exactly: ${JSON.stringify(target.issuer)}` });
  } else {
    const published = JSON.stringify(metadata['issuer'] ?? null);
    const slash = typeof metadata['issuer'] === 'string' && metadata['issuer'].replace(/\/$/, '') === target.issuer.replace(/\/$/, '') ? ' (only the trailing slash differs: it still matters)' : '';
    findings.push({
      status: 'fail',
      message: `issuer mismatch: configured ${JSON.stringify(target.issuer)}, the provider says ${published}${slash}`,
      detail: 'Set AUTH_ISSUER to the provider\'s value exactly; MCP clients and this server refuse the metadata otherwise.',
    });
  }

  // 3. Endpoints MCP clients need.
  for (const field of ['authorization_endpoint', 'token_endpoint']) {
    if (typeof metadata[field] !== 'string') findings.push({ status: 'fail', message: `metadata has no ${field}` });
  }

  // 4. PKCE S256 advertised: 2025-11-25 clients MUST refuse an authorization server without it.
  const methods = metadata['code_challenge_methods_supported'];
  if (Array.isArray(methods) && methods.includes('S256')) {
    findings.push({ status: 'pass', message: 'PKCE S256 advertised (code_challenge_methods_supported)' });
  } else if (target.metadataShim) {
    findings.push({
      status: 'warn',
      message: 'PKCE S256 not advertised by the provider; the metadata shim (AUTH_SERVER_METADATA_SHIM=1) adds it',
      detail: 'This server serves the corrected metadata and names itself as the authorization server (see src/auth/metadata-shim.ts).',
    });
  } else {
    findings.push({
      status: 'fail',
      message: Array.isArray(methods) ? `PKCE S256 not among code_challenge_methods_supported (${methods.join(', ')})` : 'metadata omits code_challenge_methods_supported',
      detail: 'Strict MCP clients (2025-11-25 spec, Claude, the C# SDK) refuse this provider. Set AUTH_SERVER_METADATA_SHIM=1 to serve a corrected copy.',
    });
  }

  // 5. How MCP clients get a client id.
  const dcr = typeof metadata['registration_endpoint'] === 'string';
  const cimd = metadata['client_id_metadata_document_supported'] === true;
  if (dcr || cimd) {
    findings.push({ status: 'pass', message: `clients can register: ${[dcr ? 'dynamic client registration' : '', cimd ? 'Client ID Metadata Documents' : ''].filter(Boolean).join(' and ')}` });
  } else {
    findings.push({
      status: 'warn',
      message: 'no registration_endpoint and no Client ID Metadata Documents',
      detail: `MCP clients need a client id registered in advance and configured in the client. ${preset.registration.note}.`,
    });
  }

  // 6. Resource indicators and audience: what the preset knows (metadata does not say).
  findings.push({ status: 'info', message: `RFC 8707 resource indicators at ${preset.label}: ${preset.resourceIndicators}; this server accepts aud ${target.audiences.map((a) => JSON.stringify(a)).join(' or ')}`, detail: preset.audience.howTo });

  // 7. Scopes the tools need, when the provider lists what it supports.
  const supported = metadata['scopes_supported'];
  if (Array.isArray(supported)) {
    const missing = target.scopes.filter((scope) => !supported.includes(scope));
    if (missing.length > 0) {
      findings.push({ status: 'warn', message: `scopes_supported does not list ${missing.join(', ')}`, detail: 'Define these scopes in the provider, or clients cannot ask for them.' });
    }
  }

  // 8. Token verification: the JWKS, or introspection.
  let keys: Jwk[] | undefined;
  if (target.tokenFormat === 'jwt') {
    const jwksUri = metadata['jwks_uri'];
    if (typeof jwksUri !== 'string') {
      findings.push({ status: 'fail', message: 'metadata has no jwks_uri: JWT access tokens cannot be verified', detail: 'Use AUTH_TOKEN_FORMAT=opaque with introspection, or a provider that publishes its keys.' });
    } else {
      const answer = await getJson(doFetch, jwksUri);
      const list = (answer.json as { keys?: unknown } | undefined)?.keys;
      if (answer.status !== 200 || !Array.isArray(list)) {
        findings.push({ status: 'fail', message: `JWKS unreachable: ${jwksUri} → ${answer.status || answer.error}${answer.status === 200 ? ' (not a JWKS)' : ''}`, detail: 'Every token check needs it: requests get 503 until it answers.' });
      } else {
        keys = (list as Jwk[]).filter((key) => key && typeof key === 'object' && key.use !== 'enc');
        const algs = [...new Set(keys.flatMap(algorithmsOfKey))];
        const usable = algs.filter((alg) => target.rules.algorithms.includes(alg));
        if (keys.length === 0 || algs.every((alg) => alg.startsWith('HS'))) {
          findings.push({ status: 'fail', message: `JWKS ${jwksUri} publishes no public signing keys`, detail: `The provider signs with a shared secret (HS256), which no resource server can verify: ${preset.sharedSecretFix}.` });
        } else if (usable.length === 0) {
          findings.push({ status: 'fail', message: `JWKS keys are for ${algs.join(', ')}, none of which this project accepts (${target.rules.algorithms.join(', ')})` });
        } else {
          findings.push({ status: 'pass', message: `JWKS reachable: ${keys.length} key(s), algorithms ${algs.join(', ')}` });
        }
      }
    }
  } else {
    const endpoint = target.introspection.endpoint ?? (preset.token.introspection === 'google-tokeninfo' ? 'https://oauth2.googleapis.com/tokeninfo' : metadata['introspection_endpoint']);
    if (typeof endpoint !== 'string') {
      findings.push({ status: 'fail', message: 'opaque tokens, but no introspection endpoint (metadata introspection_endpoint or AUTH_INTROSPECTION_ENDPOINT)' });
    } else {
      findings.push({ status: 'pass', message: `opaque tokens are introspected at ${endpoint}` });
      if (!target.introspection.hasCredentials && preset.token.introspection !== 'google-tokeninfo') {
        findings.push({ status: 'warn', message: 'no introspection credentials: set AUTH_INTROSPECTION_CLIENT_ID and _SECRET (or AUTH_INTROSPECTION_TOKEN)', detail: 'Most providers refuse anonymous introspection.' });
      }
    }
  }
  return { findings, metadata, ...(keys ? { keys } : {}) };
}

const ID_TOKEN_CLAIMS = ['at_hash', 'c_hash'];

/** Decodes a pasted access token and checks it against this project's configuration, one finding per check. */
export function checkToken(token: string, target: DoctorTarget, keys: Jwk[] | undefined, nowSeconds = Math.floor(Date.now() / 1000)): Finding[] {
  const { preset, rules } = target;
  const decoded = decodeJwt(token);
  if (!decoded) {
    if (target.tokenFormat === 'opaque') return [{ status: 'info', message: 'the token is opaque: only the provider can say whether it is valid (introspection)' }];
    return [{ status: 'fail', message: 'the token is not a JWT', detail: 'This project expects JWT access tokens (AUTH_TOKEN_FORMAT=jwt). Opaque tokens need AUTH_TOKEN_FORMAT=opaque and introspection; see the README.' }];
  }
  const findings: Finding[] = [];
  const { header, payload } = decoded;
  const push = (ok: boolean, message: string, detail?: string) => findings.push({ status: ok ? 'pass' : 'fail', message, ...(detail && !ok ? { detail } : {}) });

  // Header: algorithm, typ, key.
  const alg = String(header['alg']);
  if (/^HS\d+$/.test(alg)) push(false, `signed with ${alg} (a shared secret)`, `No resource server can verify it with a JWKS: ${preset.sharedSecretFix}.`);
  else push(rules.algorithms.includes(alg), `algorithm ${alg}`, `This project accepts ${rules.algorithms.join(', ')}.`);
  if (rules.requiredTyp) push(header['typ'] === rules.requiredTyp, `typ header ${JSON.stringify(header['typ'] ?? null)}`, `${preset.label} access tokens carry typ "${rules.requiredTyp}"; another typ is an ID or session token.`);
  if (keys && !/^HS/.test(alg)) {
    const candidates = keys.filter((key) => header['kid'] === undefined || key.kid === header['kid']);
    if (candidates.length === 0) push(false, `key ${JSON.stringify(header['kid'])} is not in the provider's JWKS`, 'The token was signed by another issuer or with a key the provider no longer publishes.');
    else push(candidates.some((key) => verifySignature(token, alg, key)), 'signature verified with the provider\'s JWKS', 'The signature does not match: the token was altered or signed by someone else.');
  }

  // Claims.
  const issuers = [target.issuer, ...(rules.extraIssuers ?? [])];
  push(issuers.includes(String(payload['iss'])), `iss ${JSON.stringify(payload['iss'] ?? null)}`, `Expected ${issuers.map((i) => JSON.stringify(i)).join(' or ')}, byte for byte.${rules.hints.issuer ? ` ${rules.hints.issuer}` : ''}`);
  if (ID_TOKEN_CLAIMS.some((claim) => payload[claim] !== undefined) || payload['token_use'] === 'id') {
    push(false, 'this is an ID token, not an access token', 'Send the access token from the token response (access_token), not the id_token.');
  }
  const aud = payload['aud'];
  const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.map(String) : [];
  const fallback = (rules.audienceFallbackClaims ?? []).find((claim) => typeof payload[claim] === 'string');
  if (auds.length > 0) push(auds.some((value) => target.audiences.includes(value)), `aud ${JSON.stringify(aud)}`, `This server accepts ${target.audiences.map((a) => JSON.stringify(a)).join(' or ')}. ${preset.audience.howTo}`);
  else if (fallback) push(target.audiences.includes(String(payload[fallback])), `no aud; ${fallback} ${JSON.stringify(payload[fallback])} checked instead`, `Put the app client id in AUTH_AUDIENCE. ${preset.audience.howTo}`);
  else if (rules.audience === 'if-present' || target.audienceOptional) findings.push({ status: 'info', message: 'no aud (accepted: AUTH_AUDIENCE_OPTIONAL=1)' });
  else push(false, 'no aud claim', preset.audience.howTo);
  for (const [claim, expected] of Object.entries(rules.requiredClaims ?? {})) {
    push(payload[claim] === expected, `${claim} ${JSON.stringify(payload[claim] ?? null)}`, `Must be ${JSON.stringify(expected)}.${claim === 'ver' && rules.hints.issuer ? ` ${rules.hints.issuer}` : ''}`);
  }
  const exp = payload['exp'];
  if (typeof exp !== 'number') push(false, 'no exp claim', 'Tokens without an expiry are refused.');
  else if (exp <= nowSeconds) push(false, `expired ${new Date(exp * 1000).toISOString()}`, 'Get a fresh token and run doctor again.');
  else findings.push({ status: 'pass', message: `expires ${new Date(exp * 1000).toISOString()} (in ${Math.round((exp - nowSeconds) / 60)} min)` });
  if (typeof payload['nbf'] === 'number' && payload['nbf'] > nowSeconds + 30) push(false, `not valid before ${new Date(payload['nbf'] * 1000).toISOString()}`, 'Check this machine\'s clock.');
  const forbidden = (rules.forbiddenClaims ?? []).find((claim) => payload[claim] !== undefined);
  if (forbidden !== undefined) push(false, `carries ${JSON.stringify(forbidden)}: a session token`, 'Send the OAuth access token an MCP client got, not a session token of your app.');
  const clientId = rules.clientIdClaims.map((claim) => payload[claim]).find((value) => typeof value === 'string');
  if (rules.requireClientId) push(clientId !== undefined, `client id ${JSON.stringify(clientId ?? null)}`, 'Only OAuth access tokens name their client; a session token does not.');
  else if (clientId !== undefined) findings.push({ status: 'info', message: `client ${JSON.stringify(clientId)}` });

  // Scopes: which tools the token can call.
  const granted = new Set<string>();
  const prefix = rules.scopePrefix;
  const grant = (scope: string) => {
    granted.add(scope);
    if (prefix && !scope.startsWith(prefix)) granted.add(`${prefix}${scope}`);
  };
  const valuesOf = (value: unknown): string[] =>
    typeof value === 'string' ? value.split(' ').filter(Boolean) : Array.isArray(value) ? value.filter((scope): scope is string => typeof scope === 'string') : [];
  // Role claims (Auth0 `permissions`) only narrow what the scope claims grant, as the server does.
  const roleClaims = (rules.permissionClaims ?? []).filter((claim) => payload[claim] !== undefined);
  const permitted = roleClaims.length > 0 ? new Set(roleClaims.flatMap((claim) => valuesOf(payload[claim]))) : undefined;
  for (const claim of rules.scopeClaims) valuesOf(payload[claim]).filter((scope) => !permitted || permitted.has(scope)).forEach(grant);
  const missing = target.scopes.filter((scope) => !granted.has(scope));
  if (target.scopes.length === 0) findings.push({ status: 'info', message: `scopes granted: ${[...granted].join(' ') || 'none'}` });
  else if (missing.length === 0) findings.push({ status: 'pass', message: `scopes: ${target.scopes.join(' ')}` });
  else {
    findings.push({
      status: 'warn',
      message: `scopes missing: ${missing.join(' ')} (granted: ${[...granted].join(' ') || 'none'}, read from ${rules.scopeClaims.join(', ')})`,
      detail: 'Tools that need them answer 403 insufficient_scope. Grant them to the client in the provider, or check where it puts scopes.',
    });
  }
  return findings;
}
