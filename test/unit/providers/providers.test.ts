import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { frameworks } from '../../../src/stack/frameworks.js';
import { getProvider, providers } from '../../../src/providers/index.js';
import { transports } from '../../../src/stack/transports.js';
import { validateIssuer } from '../../../src/answers/validate.js';

/** Algorithms verified with a public key; HS* need a shared secret a JWKS never carries. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$/;

/** Files of src/providers/ that are not a provider: the list, the preset type, and what the provider files share. */
const HELPERS = ['index.ts', 'provider-preset.ts', 'define-provider.ts', 'building-blocks.ts', 'resolve-preset.ts', 'token-rules.ts'];
const PROVIDER_DIR = fileURLToPath(new URL('../../../src/providers/', import.meta.url));
const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));

describe('provider files', () => {
  test('every file in src/providers/ is a provider listed in index.ts, under its own id', async () => {
    const files = readdirSync(PROVIDER_DIR).filter((name) => !HELPERS.includes(name));
    expect(files.sort()).toEqual(providers.map((p) => `${p.id}.ts`).sort());
    for (const file of files) {
      const module = (await import(`${PROVIDER_DIR}${file}`)) as { default: unknown };
      expect(providers, file).toContain(module.default);
    }
  });

  test('every provider that builds its issuer from inputs has a recorded discovery document', () => {
    // local, oidc and oauth have no issuer of their own: there is nothing to record for them. A broker-only preset
    // (GitHub) publishes no discovery document: its endpoints are in the preset.
    for (const provider of providers.filter((p) => p.issuer !== undefined && p.broker?.only === undefined)) {
      expect(existsSync(`${FIXTURE_DIR}${provider.id}.json`), `test/fixtures/providers/${provider.id}.json`).toBe(true);
    }
    expect(providers.filter((p) => p.issuer === undefined).map((p) => p.id)).toEqual(['local', 'oidc', 'oauth']);
  });

  test('are frozen: no consumer can change what another one reads', () => {
    for (const provider of providers) {
      expect(Object.isFrozen(provider)).toBe(true);
      expect(Object.isFrozen(provider.token)).toBe(true);
      expect(Object.isFrozen(provider.inputs)).toBe(true);
    }
  });
});

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
    if (provider.defaultIssuer !== undefined) expect(validateIssuer(provider.defaultIssuer)).toBe(provider.defaultIssuer);
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
