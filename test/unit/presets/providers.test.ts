import { describe, expect, test } from 'vitest';
import { frameworks } from '../../../src/presets/frameworks.js';
import { getProvider, providers } from '../../../src/presets/providers.js';
import { transports } from '../../../src/presets/transports.js';
import { validateIssuer } from '../../../src/answers/validate.js';

/** Algorithms verified with a public key; HS* need a shared secret a JWKS never carries. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$/;

describe('providers table', () => {
  test('has unique ids', () => {
    const ids = providers.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(providers)('$id allows only asymmetric algorithms', (provider) => {
    expect(provider.token.algorithms.length).toBeGreaterThan(0);
    for (const alg of provider.token.algorithms) expect(alg).toMatch(ASYMMETRIC);
  });

  test.each(providers)('$id reads scopes and client ids from at least one claim', (provider) => {
    expect(provider.token.scopeClaims.length).toBeGreaterThan(0);
    expect(provider.token.clientIdClaims.length).toBeGreaterThan(0);
  });

  test.each(providers)('$id has an issuer example and default that pass the issuer validator', (provider) => {
    expect(validateIssuer(provider.issuerExample)).toBe(provider.issuerExample);
    if ('defaultIssuer' in provider) expect(validateIssuer(provider.defaultIssuer)).toBe(provider.defaultIssuer);
  });

  test('starts an embedded dev server only for presets with a default issuer', () => {
    for (const provider of providers) expect(provider.devAuthServer).toBe('defaultIssuer' in provider);
  });

  test('requires typ at+jwt only for the local server, which always sets it', () => {
    expect(getProvider('local').token.requiredTyp).toBe('at+jwt');
    expect(getProvider('oidc').token.requiredTyp).toBeUndefined();
    expect(getProvider('oauth').token.requiredTyp).toBeUndefined();
  });

  test('has one-line labels and hints for prompts and --help', () => {
    for (const row of [...providers, ...frameworks, ...transports]) {
      expect(row.label).not.toMatch(/\n/);
      expect(row.hint).not.toMatch(/\n/);
      expect(row.id).toMatch(/^[a-z][a-z0-9-]*$/);
    }
  });
});
