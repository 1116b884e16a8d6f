import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { getProvider } from '../../../src/providers/index.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { renderProject } from '../../../src/render/render.js';

/**
 * The Better Auth preset says what a live Better Auth needed (test/e2e/live-better-auth.test.ts runs the setup it
 * describes from test/fixtures/better-auth/): the generated README's provider section, one fact per line.
 */
const TEMPLATES = new URL('../../../templates/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/better-auth/package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

const answers: Answers = {
  projectName: 'ba', provider: 'better-auth', framework: 'hono', transport: 'stateless', scopes: ['read', 'write'],
  issuer: 'https://auth.example.com/auth', packageManager: 'npm', providerInputs: { baseUrl: 'https://auth.example.com', basePath: '/auth' },
};

async function providerSection(): Promise<string> {
  const readme = String((await renderProject(TEMPLATES, ['base'], createTemplateContext(answers))).get('README.md'));
  return readme.slice(readme.indexOf('## Your identity provider'), readme.indexOf('## How it works'));
}

describe('the better-auth preset and its README section', () => {
  test('names the versions the live suite installs, and why not @better-auth/mcp (ERESOLVE)', async () => {
    const section = await providerSection();
    expect(section).toContain(`better-auth and @better-auth/oauth-provider at the same version (${fixture.dependencies['better-auth']} of both`);
    expect(fixture.dependencies['@better-auth/oauth-provider']).toBe(fixture.dependencies['better-auth']);
    expect(section).toMatch(/@better-auth\/mcp: its 1\.7\.5 pins better-call 1\.4\.0 .* ERESOLVE/);
  });

  test('says which route serves the metadata at the root, with the plugin helper, for this base path', async () => {
    const section = await providerSection();
    expect(section).toContain('GET /.well-known/oauth-authorization-server/auth → `oauthProviderAuthServerMetadata(auth)`');
    expect(getProvider('better-auth').metadataRoute).toContain('oauthProviderAuthServerMetadata(auth)');
  });

  test('links registered clients to the MCP server URL (clientRegistrationDefaultResources), not only resources', async () => {
    expect(await providerSection()).toContain('clientRegistrationDefaultResources: [<MCP server URL>]');
    expect(getProvider('better-auth').audience.perClient).toMatch(/enforcePerClientResources.*clientRegistrationDefaultResources|clientRegistrationDefaultResources.*enforcePerClientResources/s);
  });

  test('says aud is an array when openid is requested, and that it is accepted', async () => {
    expect(await providerSection()).toMatch(/`openid`, `aud` is an array of the MCP server URL and `\{issuer\}\/oauth2\/userinfo`; this server accepts it/);
  });

  test('names both settings open registration needs, the loopback application type and the CIMD package', async () => {
    const section = await providerSection();
    for (const fact of ['allowDynamicClientRegistration', 'allowUnauthenticatedClientRegistration', "clientRegistrationDefaultApplicationType: 'infer'", '@better-auth/cimd']) {
      expect(section).toContain(fact);
    }
  });

  test('puts an opaque token down to a missing resource parameter (what doctor --token says)', () => {
    expect(getProvider('better-auth').token.opaqueTokenCause).toMatch(/without `resource`.*not the fix/s);
  });
});
