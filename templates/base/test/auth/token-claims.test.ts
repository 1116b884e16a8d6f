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
    expect(readScopes({ scope: 'read write', permissions: ['admin', 3] }, ['scope', 'permissions'])).toEqual(['read', 'write', 'admin']);
    expect(readScopes({ scope: { read: true } }, ['scope'])).toEqual([]);
    expect(readScopes({ scp: 'read' }, ['scp'], 'api://app/')).toEqual(['read', 'api://app/read']);
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
      extra: { subject: 'alice', issuer: 'http://issuer', claims },
    });
    expect(resourceOf(['not a url'])).toBeUndefined();
  });
});
