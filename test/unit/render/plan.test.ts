import { expect, test } from 'vitest';
import { planFeatures, planLayers } from '../../../src/render/plan.js';

const RS = 'features/resource-server';
const resourceServer = { resourceServer: true, broker: false, manualDiscovery: false };

test('renders base, then the framework, then the auth core, then the optional parts the project uses', () => {
  expect(planLayers({ framework: 'express', provider: 'keycloak' })).toEqual(['base', 'framework/express', 'auth', RS]);
  expect(planLayers({ framework: 'hono', provider: 'keycloak' })).toEqual(['base', 'framework/hono', 'auth', RS]);
  expect(planLayers({ framework: 'express', provider: 'local' })).toEqual(['base', 'framework/express', 'auth', 'features/dev-auth-server', RS]);
  expect(planLayers({ framework: 'hono', provider: 'google' })).toEqual(['base', 'framework/hono', 'auth', 'features/introspection', RS]);
  expect(planLayers({ framework: 'express', provider: 'entra' })).toEqual(['base', 'framework/express', 'auth', 'features/metadata-shim', RS]);
});

test('gives the development server only to the local provider, introspection only to opaque-token providers, the shim only where it is on', () => {
  expect(planFeatures({ provider: 'local' })).toEqual({ devAuthServer: true, introspection: false, metadataShim: false, ...resourceServer });
  expect(planFeatures({ provider: 'auth0' })).toEqual({ devAuthServer: false, introspection: false, metadataShim: false, ...resourceServer });
  for (const provider of ['google', 'zitadel', 'ory', 'asgardeo'] as const) expect(planFeatures({ provider }).introspection).toBe(true);
  for (const provider of ['entra', 'cognito'] as const) expect(planFeatures({ provider }).metadataShim).toBe(true);
});

test('reads the token format and the shim from the answers: the preset only decides when the answers file has none', () => {
  expect(planFeatures({ provider: 'keycloak', tokenFormat: 'opaque' })).toEqual({ devAuthServer: false, introspection: true, metadataShim: false, ...resourceServer });
  expect(planFeatures({ provider: 'ory', tokenFormat: 'jwt' }).introspection).toBe(false);
  expect(planFeatures({ provider: 'oidc', metadataShim: true }).metadataShim).toBe(true);
  expect(planFeatures({ provider: 'entra', metadataShim: false }).metadataShim).toBe(false);
  expect(planLayers({ framework: 'express', provider: 'keycloak', tokenFormat: 'opaque', metadataShim: true })).toEqual(['base', 'framework/express', 'auth', 'features/introspection', 'features/metadata-shim', RS]);
});

test('an answers file without `broker` is a resource server, even for a preset that defaults to the broker', () => {
  for (const provider of ['entra', 'google', 'cognito', 'okta'] as const) {
    expect(planFeatures({ provider })).toMatchObject(resourceServer);
    expect(planLayers({ framework: 'express', provider })).not.toContain('features/broker');
  }
});

test('a broker gets the broker layer instead of the resource server and its development stand-in (broker-dev), and no introspection, shim or development server', () => {
  const broker = { devAuthServer: false, introspection: false, metadataShim: false, resourceServer: false, broker: true, manualDiscovery: false };
  // Google's opaque tokens and Entra's shim concern the provider's tokens: the broker checks only its own.
  expect(planFeatures({ provider: 'google', broker: true })).toEqual(broker);
  expect(planFeatures({ provider: 'entra', broker: true, metadataShim: true })).toEqual(broker);
  expect(planFeatures({ provider: 'keycloak', broker: true, tokenFormat: 'opaque' })).toEqual(broker);
  expect(planLayers({ framework: 'hono', provider: 'github', broker: true })).toEqual(['base', 'framework/hono', 'auth', 'features/broker', 'features/broker-dev']);
  expect(planLayers({ framework: 'express', provider: 'entra', broker: false })).toEqual(['base', 'framework/express', 'auth', 'features/metadata-shim', RS]);
});
