import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { getProvider, providers, type ProviderId } from '../../../src/providers/index.js';
import { tokenRulesFor } from '../../../src/providers/token-rules.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { renderProject } from '../../../src/render/render.js';
import { exampleInputs } from './example-inputs.js';

const TEMPLATES = new URL('../../../templates/', import.meta.url);

function answersFor(provider: ProviderId, providerInputs: Record<string, string>): Answers {
  return {
    projectName: 'rules', provider, framework: 'express', transport: 'stateless', scopes: ['read', 'write'],
    issuer: 'https://issuer.example.com', packageManager: 'npm',
    ...(Object.keys(providerInputs).length > 0 ? { providerInputs } : {}),
  };
}

/** The generated `src/auth/provider.ts`, compiled and run: what the generated server really imports. */
async function renderedProviderModule(answers: Answers): Promise<Record<string, unknown>> {
  const files = await renderProject(TEMPLATES, ['auth'], createTemplateContext(answers));
  const source = String(files.get('src/auth/provider.ts'));
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', js)(exports, () => ({}));
  return exports;
}

describe('tokenRulesFor', () => {
  test.each(providers.map((p) => p.id))('%s: the generated provider.ts holds exactly these rules', async (id) => {
    const inputs = exampleInputs(getProvider(id));
    const rendered = await renderedProviderModule(answersFor(id, inputs));
    expect(rendered['tokenRules']).toStrictEqual(tokenRulesFor(getProvider(id), inputs));
  });

  // Values recorded from the generated provider.ts before the rules were computed in one place (the EJS did it then).
  test('appends the standard claims, fills the inputs and names the fix for each refusal (Entra)', () => {
    const inputs = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '00001111-aaaa-2222-bbbb-3333cccc4444', appIdUri: 'api://00001111-aaaa-2222-bbbb-3333cccc4444' };
    expect(tokenRulesFor(getProvider('entra'), inputs)).toStrictEqual({
      scopeClaims: ['scp', 'scope'],
      clientIdClaims: ['azp', 'client_id'],
      algorithms: ['RS256'],
      requiredClaims: { ver: '2.0' },
      requireClientId: true,
      scopePrefix: 'api://00001111-aaaa-2222-bbbb-3333cccc4444/',
      hints: {
        audience: getProvider('entra').audience.howTo,
        issuer: 'Tokens from https://sts.windows.net/… are v1: set "requestedAccessTokenVersion": 2 in the app registration manifest.',
        sharedSecret: 'Entra signs access tokens with RS256; an HS256 token did not come from Entra',
      },
    });
  });

  test('keeps every optional rule a provider sets, and only those', () => {
    const rules = (id: ProviderId) => tokenRulesFor(getProvider(id), exampleInputs(getProvider(id)));
    expect(rules('stytch')).toMatchObject({ forbiddenClaims: ['https://stytch.com/session'], extraIssuers: ['stytch.com/project-test-00000000-0000-0000-0000-000000000000'], requireClientId: true });
    expect(rules('scalekit').extraIssuers).toEqual(['https://your-env.scalekit.com']);
    expect(rules('auth0')).toMatchObject({ scopeClaims: ['scope', 'scp'], permissionClaims: ['permissions'], clientIdClaims: ['client_id', 'azp'] });
    expect(rules('cognito')).toMatchObject({ requiredClaims: { token_use: 'access' }, audienceFallbackClaims: ['client_id'] });
    expect(rules('local')).toMatchObject({ requiredTyp: 'at+jwt', scopeClaims: ['scope', 'scp'], clientIdClaims: ['client_id', 'azp'] });
    expect(Object.keys(rules('oidc')).sort()).toEqual(['algorithms', 'clientIdClaims', 'hints', 'scopeClaims']);
    expect(Object.keys(rules('oidc').hints)).toEqual(['audience', 'sharedSecret']);
  });

  test('leaves out an extra issuer or scope prefix whose input is missing (an explicit --issuer replaced the inputs)', () => {
    expect(tokenRulesFor(getProvider('stytch'), {})).not.toHaveProperty('extraIssuers');
    expect(tokenRulesFor(getProvider('scalekit'), { resourceId: 'res_1' })).not.toHaveProperty('extraIssuers');
    expect(tokenRulesFor(getProvider('entra'), { tenantId: 't', clientId: 'c' })).not.toHaveProperty('scopePrefix');
  });
});
