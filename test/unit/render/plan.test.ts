import { expect, test } from 'vitest';
import { planFeatures, planLayers } from '../../../src/render/plan.js';

test('renders base, then the framework, then the auth core, then the optional parts the project uses', () => {
  expect(planLayers({ framework: 'express', provider: 'keycloak' })).toEqual(['base', 'framework/express', 'auth']);
  expect(planLayers({ framework: 'hono', provider: 'keycloak' })).toEqual(['base', 'framework/hono', 'auth']);
  expect(planLayers({ framework: 'express', provider: 'local' })).toEqual(['base', 'framework/express', 'auth', 'features/dev-auth-server']);
  expect(planLayers({ framework: 'hono', provider: 'google' })).toEqual(['base', 'framework/hono', 'auth', 'features/introspection']);
  expect(planLayers({ framework: 'express', provider: 'entra' })).toEqual(['base', 'framework/express', 'auth', 'features/metadata-shim']);
});

test('gives the development server only to the local provider, introspection only to opaque-token providers, the shim only where it is on', () => {
  expect(planFeatures({ provider: 'local' })).toEqual({ devAuthServer: true, introspection: false, metadataShim: false, manualDiscovery: false });
  expect(planFeatures({ provider: 'auth0' })).toEqual({ devAuthServer: false, introspection: false, metadataShim: false, manualDiscovery: false });
  for (const provider of ['google', 'zitadel', 'ory', 'asgardeo'] as const) expect(planFeatures({ provider }).introspection).toBe(true);
  for (const provider of ['entra', 'cognito'] as const) expect(planFeatures({ provider }).metadataShim).toBe(true);
});

test('reads the token format and the shim from the answers: the preset only decides when the answers file has none', () => {
  expect(planFeatures({ provider: 'keycloak', tokenFormat: 'opaque' })).toEqual({ devAuthServer: false, introspection: true, metadataShim: false, manualDiscovery: false });
  expect(planFeatures({ provider: 'ory', tokenFormat: 'jwt' }).introspection).toBe(false);
  expect(planFeatures({ provider: 'oidc', metadataShim: true }).metadataShim).toBe(true);
  expect(planFeatures({ provider: 'entra', metadataShim: false }).metadataShim).toBe(false);
  expect(planLayers({ framework: 'express', provider: 'keycloak', tokenFormat: 'opaque', metadataShim: true })).toEqual(['base', 'framework/express', 'auth', 'features/introspection', 'features/metadata-shim']);
});
