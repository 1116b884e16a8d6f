import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/auth/errors.js';
import { checkAudience, checkClientId, readClientId, readScopes, resourceOf, toAuthInfo, type TokenRules } from '../../src/auth/token-claims.js';

/** What both verifiers (JWT and introspection) make of a token's claims, on its own: no keys, no network. */
const rules: TokenRules = { scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256'] };
const audiences = ['http://127.0.0.1:3000/mcp', 'api://mcp'];

function refusal(check: () => void): string {
  try {
    check();
  } catch (error) {
    if (error instanceof AuthError && error.code === 'invalid_token') return error.message;
    throw error;
  }
  throw new Error('expected an invalid_token refusal');
}

describe('checkAudience', () => {
  it('accepts a token whose aud, string or array, holds one of the audiences', () => {
    expect(() => checkAudience({ aud: 'api://mcp' }, rules, audiences)).not.toThrow();
    expect(() => checkAudience({ aud: ['https://other.example', 'http://127.0.0.1:3000/mcp'] }, rules, audiences)).not.toThrow();
  });

  it.each([
    ['another audience', { aud: 'https://other.example/mcp' }],
    ['an empty list', { aud: [] }],
    ['a number', { aud: 42 }],
    ['an object', { aud: { value: 'api://mcp' } }],
    ['no aud at all', {}],
  ])('refuses %s', (_case, claims) => {
    expect(refusal(() => checkAudience(claims, rules, audiences))).toMatch(/audience/);
  });

  it('with fallback claims (Cognito: client_id) accepts a matching one, and refuses one that names another client', () => {
    const cognito: TokenRules = { ...rules, audienceFallbackClaims: ['client_id'] };
    expect(() => checkAudience({ client_id: 'api://mcp' }, cognito, audiences)).not.toThrow();
    expect(refusal(() => checkAudience({ client_id: 'another-app' }, cognito, audiences))).toMatch(/"client_id" "another-app" is not one this server accepts/);
    // Even where a missing audience is allowed: a fallback claim that is present must match.
    expect(refusal(() => checkAudience({ client_id: 'another-app' }, { ...cognito, audience: 'if-present' }, audiences))).toMatch(/client_id/);
  });

  it('with audience: if-present accepts a token without aud, never one for another audience', () => {
    const clerk: TokenRules = { ...rules, audience: 'if-present' };
    expect(() => checkAudience({}, clerk, audiences)).not.toThrow();
    expect(refusal(() => checkAudience({ aud: 'https://other.example' }, clerk, audiences))).toMatch(/another audience/);
  });

  it("appends the preset's hint to the refusal", () => {
    expect(refusal(() => checkAudience({}, { ...rules, hints: { audience: 'Set the API identifier.' } }, audiences))).toMatch(/Set the API identifier\.$/);
  });
});

describe('client id and scopes', () => {
  it('read the client from the first client claim that is present, and only if it is a string', () => {
    expect(readClientId({ azp: 'b', client_id: 'a' }, rules)).toBe('a');
    expect(readClientId({ azp: 'b' }, rules)).toBe('b');
    expect(readClientId({ client_id: 7, azp: 'b' }, rules)).toBeUndefined();
    expect(() => checkClientId({}, rules)).not.toThrow();
    expect(refusal(() => checkClientId({ sub: 'user' }, { ...rules, requireClientId: true }))).toMatch(/names no client \(client_id or azp\)/);
  });

  it('merge scopes from every claim, as a space-separated string or a string array, ignoring other shapes', () => {
    expect(readScopes({ scope: 'read write', scp: ['admin', 3] }, ['scope', 'scp'])).toEqual(['read', 'write', 'admin']);
    expect(readScopes({ scope: { read: true } }, ['scope'])).toEqual([]);
    expect(readScopes({ scp: 'read' }, ['scp'], 'api://app/')).toEqual(['read', 'api://app/read']);
  });

  it('let a role claim (permissions) narrow the delegated scopes, never widen them', () => {
    const permissions = ['permissions'];
    // The client asked for read; the user's role would allow write too: the token grants read only.
    expect(readScopes({ scope: 'read', permissions: ['read', 'write'] }, ['scope'], undefined, permissions)).toEqual(['read']);
    // Permissions alone grant nothing.
    expect(readScopes({ permissions: ['read', 'write'] }, ['scope'], undefined, permissions)).toEqual([]);
    // A scope the role no longer allows is taken away; an empty or malformed permissions claim takes all away.
    expect(readScopes({ scope: 'read write', permissions: ['read'] }, ['scope'], undefined, permissions)).toEqual(['read']);
    expect(readScopes({ scope: 'read write', permissions: [] }, ['scope'], undefined, permissions)).toEqual([]);
    expect(readScopes({ scope: 'read write', permissions: { read: true } }, ['scope'], undefined, permissions)).toEqual([]);
    // No permissions claim in the token (RBAC off): the delegated scopes stand.
    expect(readScopes({ scope: 'read write' }, ['scope'], undefined, permissions)).toEqual(['read', 'write']);
  });

  it('refuse a token carrying a claim only the provider\'s session tokens carry', () => {
    const sessionMarker = { ...rules, forbiddenClaims: ['https://stytch.com/session'] };
    expect(refusal(() => checkClientId({ client_id: 'c', 'https://stytch.com/session': { id: 's' } }, sessionMarker))).toMatch(/session token/);
    expect(() => checkClientId({ client_id: 'c' }, sessionMarker)).not.toThrow();
  });
});

describe('toAuthInfo', () => {
  it('maps checked claims to the SDK shape, with the resource and the issuer it was accepted for', () => {
    const claims = { sub: 'alice', client_id: 'inspector', scope: 'read', exp: 2_000_000_000 };
    expect(toAuthInfo('tok', claims, rules, { resource: resourceOf(audiences), issuer: 'http://issuer' })).toEqual({
      token: 'tok',
      clientId: 'inspector',
      scopes: ['read'],
      expiresAt: 2_000_000_000,
      resource: new URL('http://127.0.0.1:3000/mcp'),
      extra: { subject: 'alice', issuer: 'http://issuer', claims, confirmation: undefined },
    });
    // A key binding (RFC 7800 cnf) travels with the verified token, so the gate can demand its proof per request.
    const bound = { ...claims, cnf: { jkt: 'thumbprint', 'x5t#S256': 'cert' } };
    expect(toAuthInfo('tok', bound, rules, { resource: undefined, issuer: 'http://issuer' }).extra?.['confirmation']).toEqual({ jkt: 'thumbprint', unverifiable: ['x5t#S256'] });
    expect(refusal(() => toAuthInfo('tok', { ...claims, cnf: 'jkt' }, rules, { resource: undefined, issuer: 'http://issuer' }))).toMatch(/cnf/);
    expect(resourceOf(['not a url'])).toBeUndefined();
  });
});
