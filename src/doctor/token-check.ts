/**
 * `doctor --token`: a pasted access token checked by the generated server's own verifier. The modules below are the
 * template files every generated project holds in `src/auth/` (token-verifier.ts with its discovery, key set and
 * claim rules; sender-constraint.ts), bundled with jose into dist/doctor.js: what the server refuses, doctor
 * refuses, with the server's words. Doctor adds only the reading of the outcome: which check refused the token and
 * what to change, or what the accepted token grants.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import { decodeJwt, decodeProtectedHeader, errors, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { AuthError } from '../../templates/auth/src/auth/errors.js';
import { createSenderConstraintChecker } from '../../templates/auth/src/auth/sender-constraint.js';
import { createServerConfigCache } from '../../templates/auth/src/auth/server-config-cache.js';
import { checkAudience, checkClientId, checkNotIdToken, checkRequiredClaims, isSharedSecretAlgorithm, readConfirmation, type TokenRules as ServerTokenRules } from '../../templates/auth/src/auth/token-claims.js';
import { createJwtVerifier } from '../../templates/auth/src/auth/token-verifier.js';
import type { Finding } from './findings.js';
import type { DoctorTarget } from './target.js';

interface DecodedJwt {
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
}

/** Decodes a compact JWT without verifying it; `undefined` when it is not one (an opaque token). */
function decodeUnverified(token: string): DecodedJwt | undefined {
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

/** Whether one of the server's claim functions refuses these claims. */
function refuses(check: () => unknown): boolean {
  try {
    check();
    return false;
  } catch {
    return true;
  }
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const isoDate = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : 'never');

/**
 * Checks a pasted access token exactly as this project's server would on a request: its JWT verifier (signature
 * against the provider's JWKS found by discovery, issuer, expiry, typ, algorithm, ID tokens, required claims,
 * audience, client) and its sender-constraint rule for a bearer token. One finding per check passed, or the one
 * check that refused it (the server stops at the first refusal too), then what the token grants.
 */
export async function checkToken(token: string, target: DoctorTarget, doFetch?: typeof fetch): Promise<Finding[]> {
  const decoded = decodeUnverified(token);
  if (target.tokenFormat === 'opaque') {
    return [{ status: 'info', message: `this project introspects tokens (AUTH_TOKEN_FORMAT=opaque): only the provider can say whether this ${decoded ? 'JWT' : 'token'} is valid` }];
  }
  if (!decoded) {
    const fix = target.preset.token.opaqueTokenCause ?? 'Opaque tokens need AUTH_TOKEN_FORMAT=opaque and introspection; see the README.';
    return [{ status: 'fail', message: 'the token is not a JWT', detail: `This project expects JWT access tokens (AUTH_TOKEN_FORMAT=jwt). ${fix}` }];
  }
  // The rules and audiences the server's start.ts passes (AUTH_AUDIENCE_OPTIONAL=1 makes `aud` optional).
  const rules: ServerTokenRules = target.audienceOptional ? { ...target.rules, audience: 'if-present' } : target.rules;
  const server = createServerConfigCache(target.issuer, { type: target.preset.discovery, ...(doFetch ? { fetch: doFetch } : {}) });
  const resource = URL.canParse(target.mcpUrl) ? new URL(target.mcpUrl) : undefined;
  const verifier = createJwtVerifier({ issuer: target.issuer, audience: target.audiences, ...(resource ? { resource } : {}), server, rules });
  let accepted: AuthInfo;
  try {
    accepted = await verifier.verifyAccessToken(token);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return [refusalFinding(error, decoded, target, rules)];
  }
  return [...acceptedFindings(decoded, accepted, target, rules), ...(await bindingFindings(token, decoded.claims, resource)), scopesFinding(accepted.scopes, target)];
}

/** What the verifier checked and found acceptable, one line per check; the client as the server read it (AuthInfo). */
function acceptedFindings({ header, claims }: DecodedJwt, accepted: AuthInfo, target: DoctorTarget, rules: ServerTokenRules): Finding[] {
  const pass = (message: string): Finding => ({ status: 'pass', message });
  const findings = [pass(`signature verified with the provider's JWKS (${header.alg}${header.kid === undefined ? '' : `, key ${json(header.kid)}`})`), pass(`iss ${json(claims.iss)}`)];
  if (rules.requiredTyp) findings.push(pass(`typ header ${json(header.typ)}`));
  for (const claim of Object.keys(rules.requiredClaims ?? {})) findings.push(pass(`${claim} ${json(claims[claim])}`));
  const fallback = (rules.audienceFallbackClaims ?? []).find((claim) => claims[claim] !== undefined);
  if (claims.aud !== undefined) findings.push(pass(`aud ${json(claims.aud)}`));
  else if (fallback) findings.push(pass(`no aud; ${fallback} ${json(claims[fallback])} checked instead`));
  else findings.push({ status: 'info', message: `no aud (accepted: ${target.audienceOptional ? 'AUTH_AUDIENCE_OPTIONAL=1' : `${target.preset.label} tokens need not name an audience`})` });
  const minutesLeft = Math.round(((claims.exp ?? 0) - Date.now() / 1000) / 60);
  findings.push(pass(`expires ${isoDate(claims.exp)} (in ${minutesLeft} min)`));
  if (rules.requireClientId) findings.push(pass(`client id ${json(accepted.clientId)}`));
  else if (accepted.clientId !== '') findings.push({ status: 'info', message: `client ${json(accepted.clientId)}` });
  return findings;
}

/**
 * Bindings (`cnf`), by the server's sender-constraint checker as for a request that sends the token as a bearer
 * token. A DPoP-bound token needs a proof doctor cannot make: it is accepted with a note, as the server would with one.
 */
async function bindingFindings(token: string, claims: JWTPayload, resource = new URL('http://localhost/mcp')): Promise<Finding[]> {
  const confirmation = readConfirmation(claims);
  if (confirmation?.jkt && confirmation.unverifiable.length === 0) {
    return [{ status: 'info', message: 'DPoP-bound (cnf.jkt): clients must send it with the DPoP scheme and a proof' }];
  }
  // `resource` is what DPoP proofs name (htu); a bearer token is refused or accepted before any proof is read.
  const checker = createSenderConstraintChecker({ resource });
  try {
    await checker.check({ scheme: 'bearer', token, proofs: [], method: 'POST' }, confirmation);
    return [];
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const bound = confirmation?.unverifiable.map((name) => `cnf.${name}`).join(', ');
    return [{ status: 'fail', message: `bound by ${bound}`, detail: `The server refuses it: ${error.message}. It checks DPoP bindings (cnf.jkt) only.` }];
  }
}

/** Which tools the accepted token can call: the scopes the server read from it (its AuthInfo). */
function scopesFinding(granted: readonly string[], target: DoctorTarget): Finding {
  const list = granted.join(' ') || 'none';
  if (target.scopes.length === 0) return { status: 'info', message: `scopes granted: ${list}` };
  const missing = target.scopes.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return { status: 'pass', message: `scopes: ${target.scopes.join(' ')}` };
  return {
    status: 'warn',
    message: `scopes missing: ${missing.join(' ')} (granted: ${list}, read from ${[...target.rules.scopeClaims, ...(target.rules.permissionClaims ?? [])].join(', ')})`,
    detail: 'Tools that need them answer 403 insufficient_scope. Grant them to the client in the provider, or check where it puts scopes.',
  };
}

/**
 * The verifier's refusal as a finding: which check refused (what was found), the server's own message, and what to
 * change. jose's refusals are told apart by the error the verifier keeps as `cause`; the server's claim checks, which
 * throw without one, by asking the same functions (token-claims.ts) again in the verifier's order.
 */
function refusalFinding(error: AuthError, { header, claims }: DecodedJwt, target: DoctorTarget, rules: ServerTokenRules): Finding {
  const fail = (message: string, fix?: string): Finding => ({ status: 'fail', message, detail: `The server refuses it: ${error.message}${fix ? `\n${fix}` : ''}` });
  const cause = error.cause;
  if (error.code === 'temporarily_unavailable') {
    const why = cause instanceof Error ? `\n${cause.message}` : '';
    return { status: 'fail', message: "the token could not be checked: the provider's metadata or keys are out of reach or unusable", detail: `The server answers 503: ${error.message}.${why}` };
  }
  if (cause instanceof errors.JWTExpired) return fail(`expired ${isoDate(claims.exp)}`, 'Get a fresh token and run doctor again.');
  if (cause instanceof errors.JWTClaimValidationFailed) {
    if (cause.claim === 'iss') {
      const issuers = [target.issuer, ...(rules.extraIssuers ?? [])];
      return fail(`iss ${json(claims.iss)}`, `Expected ${issuers.map((issuer) => json(issuer)).join(' or ')}, byte for byte.`);
    }
    if (cause.claim === 'typ') return fail(`typ header ${json(header.typ)}`, `${target.preset.label} access tokens carry typ ${json(rules.requiredTyp)}; another typ is an ID or session token.`);
    if (cause.claim === 'exp') return fail('no exp claim', 'Tokens without an expiry are refused.');
    if (cause.claim === 'nbf') return fail(`not valid before ${isoDate(claims.nbf)}`, "Check this machine's clock.");
    return fail(`${cause.claim} ${json(claims[cause.claim])}`);
  }
  if (cause instanceof errors.JOSEAlgNotAllowed) return fail(`algorithm ${header.alg}`, `This project accepts ${rules.algorithms.join(', ')}.`);
  if (cause instanceof errors.JWKSNoMatchingKey) {
    return fail(`key ${json(header.kid)} is not in the provider's JWKS`, 'The token was signed by another issuer or with a key the provider no longer publishes.');
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return fail("signature does not match the provider's JWKS", 'The token was altered or signed by someone else.');
  }
  if (cause !== undefined) return fail('the token is malformed');

  // Refused by the server's own checks, in token-verifier.ts's order.
  if (isSharedSecretAlgorithm(header.alg)) return fail(`signed with ${header.alg} (a shared secret)`);
  if (refuses(() => checkNotIdToken(claims)) || (claims['token_use'] === 'id' && refuses(() => checkRequiredClaims(claims, rules)))) {
    return fail('this is an ID token, not an access token', 'Send the access token from the token response (access_token), not the id_token.');
  }
  if (refuses(() => checkRequiredClaims(claims, rules))) {
    // The server names the first required claim with another value; the finding shows that claim as the token has it.
    const [claim, expected] = Object.entries(rules.requiredClaims ?? {}).find(([name, value]) => claims[name] !== value)!;
    return fail(`${claim} ${json(claims[claim])}`, `Must be ${json(expected)}.`);
  }
  if (refuses(() => checkAudience(claims, rules, target.audiences))) {
    const fallback = (rules.audienceFallbackClaims ?? []).find((claim) => claims[claim] !== undefined);
    if (claims.aud !== undefined) return fail(`aud ${json(claims.aud)}`);
    if (fallback) return fail(`no aud; ${fallback} ${json(claims[fallback])} checked instead`, 'Put the app client id in AUTH_AUDIENCE.');
    return fail('no aud claim');
  }
  if (refuses(() => checkClientId(claims, rules))) return fail('not an OAuth access token of a client', 'Send the OAuth access token an MCP client got, not a session token of your app.');
  if (refuses(() => readConfirmation(claims))) return fail(error.message);
  return fail('refused');
}
