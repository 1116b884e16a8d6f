/**
 * `doctor --token`: a pasted access token checked against this project's configuration, one finding per check. The
 * claims the generated server reads through `templates/auth/src/auth/token-claims.ts` (audience, client, scopes,
 * `cnf`) are read here by that very module, bundled into dist/doctor.js; the rest (signature, issuer, expiry, typ)
 * is what jose and token-verifier.ts check in the server, restated as findings.
 */
import {
  checkAudience,
  checkClientId,
  readClientId,
  readConfirmation,
  readScopes,
  type TokenRules as ServerTokenRules,
} from '../../templates/auth/src/auth/token-claims.js';
import type { Finding } from './findings.js';
import { decodeJwt, verifySignature, type Jwk } from './jwks.js';
import type { DoctorTarget } from './target.js';

/** Runs one of the server's claim functions: what it returns, or the message of the AuthError it refuses with. */
function asTheServer<T>(read: () => T): { value: T; refusal?: undefined } | { value?: undefined; refusal: string } {
  try {
    return { value: read() };
  } catch (error) {
    return { refusal: error instanceof Error ? error.message : String(error) };
  }
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
  // Audience, client and binding: read by the generated server's own functions (token-claims.ts), with the rules
  // its start.ts passes them (AUTH_AUDIENCE_OPTIONAL=1 makes `aud` optional), so doctor and the server cannot disagree.
  const serverRules: ServerTokenRules = target.audienceOptional ? { ...rules, audience: 'if-present' } : rules;
  const audience = asTheServer(() => checkAudience(payload, serverRules, target.audiences)).refusal;
  const refused = `The server refuses it: ${audience}`;
  const fallback = (rules.audienceFallbackClaims ?? []).find((claim) => payload[claim] !== undefined);
  if (payload['aud'] !== undefined) push(!audience, `aud ${JSON.stringify(payload['aud'])}`, refused);
  else if (fallback) push(!audience, `no aud; ${fallback} ${JSON.stringify(payload[fallback])} checked instead`, `Put the app client id in AUTH_AUDIENCE. ${refused}`);
  else if (!audience) findings.push({ status: 'info', message: 'no aud (accepted: AUTH_AUDIENCE_OPTIONAL=1)' });
  else push(false, 'no aud claim', refused);
  for (const [claim, expected] of Object.entries(rules.requiredClaims ?? {})) {
    push(payload[claim] === expected, `${claim} ${JSON.stringify(payload[claim] ?? null)}`, `Must be ${JSON.stringify(expected)}.${claim === 'ver' && rules.hints.issuer ? ` ${rules.hints.issuer}` : ''}`);
  }
  const exp = payload['exp'];
  if (typeof exp !== 'number') push(false, 'no exp claim', 'Tokens without an expiry are refused.');
  else if (exp <= nowSeconds) push(false, `expired ${new Date(exp * 1000).toISOString()}`, 'Get a fresh token and run doctor again.');
  else findings.push({ status: 'pass', message: `expires ${new Date(exp * 1000).toISOString()} (in ${Math.round((exp - nowSeconds) / 60)} min)` });
  if (typeof payload['nbf'] === 'number' && payload['nbf'] > nowSeconds + 30) push(false, `not valid before ${new Date(payload['nbf'] * 1000).toISOString()}`, 'Check this machine\'s clock.');
  const client = asTheServer(() => checkClientId(payload, serverRules)).refusal;
  const clientId = readClientId(payload, serverRules);
  if (client) push(false, client, 'Send the OAuth access token an MCP client got, not a session token of your app.');
  else if (rules.requireClientId) push(true, `client id ${JSON.stringify(clientId)}`);
  else if (clientId !== undefined) findings.push({ status: 'info', message: `client ${JSON.stringify(clientId)}` });
  const binding = asTheServer(() => readConfirmation(payload));
  const unverifiable = binding.value?.unverifiable ?? [];
  if (binding.refusal) push(false, binding.refusal);
  else if (unverifiable.length > 0) {
    // As sender-constraint.ts (which needs jose, so it is not bundled here) refuses them.
    push(false, `bound by ${unverifiable.map((name) => `cnf.${name}`).join(', ')}`, 'This server checks DPoP bindings (cnf.jkt) only and refuses every other one, TLS client certificates (RFC 8705) included.');
  } else if (binding.value?.jkt) findings.push({ status: 'info', message: 'DPoP-bound (cnf.jkt): clients must send it with the DPoP scheme and a proof' });

  // Scopes: which tools the token can call.
  const granted = new Set(readScopes(payload, rules.scopeClaims, rules.scopePrefix, rules.permissionClaims));
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
