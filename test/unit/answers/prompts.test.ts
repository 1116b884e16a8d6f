import prompts from 'prompts';
import { describe, expect, test } from 'vitest';
import { askForMissing } from '../../../src/answers/prompts.js';
import { CliError } from '../../../src/errors.js';

// prompts.inject answers the questions that are actually asked, in order, without a terminal.
describe('askForMissing', () => {
  test('asks every question for oidc, including issuer and audience', async () => {
    prompts.inject(['my-app', 'oidc', false, 'hono', 'stateful', 'deno', 'a,b', 'https://id.example.com', 'api://x']);
    expect(await askForMissing({}, '/work')).toEqual({
      dir: 'my-app',
      provider: 'oidc',
      broker: false,
      framework: 'hono',
      transport: 'stateful',
      runtime: 'deno',
      scopes: 'a,b',
      issuer: 'https://id.example.com',
      audience: 'api://x',
    });
  });

  test('does not ask for an issuer or audience when the local provider brings its own server', async () => {
    prompts.inject(['my-app', 'local', 'express', 'stateless', 'bun', 'read,write']);
    expect(await askForMissing({}, '/work')).toEqual({
      dir: 'my-app',
      provider: 'local',
      framework: 'express',
      transport: 'stateless',
      runtime: 'bun',
      scopes: 'read,write',
    });
  });

  test('skips what flags answered, using the flag provider to decide on the issuer', async () => {
    prompts.inject([false, 'https://as.example.com', '']);
    const known = { dir: 'x', provider: 'oauth', framework: 'express', transport: 'stateless', runtime: 'node', scopes: 'read' };
    expect(await askForMissing(known, '/work')).toEqual({ broker: false, issuer: 'https://as.example.com', audience: '' });
  });

  test('asks whether to be a broker for a preset that can be both, then only the inputs a broker uses', async () => {
    // Entra as a broker: the tenant builds the issuer; the client id and App ID URI only named `aud`: not asked.
    prompts.inject([true, '72f988bf-86f1-41af-91ab-2d7cd011db47']);
    const known = { dir: 'x', provider: 'entra', framework: 'express', transport: 'stateless', runtime: 'node', scopes: 'read,write' };
    expect(await askForMissing(known, '/work')).toEqual({ broker: true, providerInputs: { 'entra-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47' } });
  });

  test('asks a plain OAuth 2 broker for its endpoints instead of an issuer or audience', async () => {
    prompts.inject([true, 'https://auth.example.com/authorize', 'https://auth.example.com/token', 'https://api.example.com/me', 'id']);
    const known = { dir: 'x', provider: 'oauth', framework: 'express', transport: 'stateless', runtime: 'node', scopes: 'read,write' };
    expect(await askForMissing(known, '/work')).toEqual({
      broker: true,
      providerInputs: { 'authorization-url': 'https://auth.example.com/authorize', 'token-url': 'https://auth.example.com/token', 'userinfo-url': 'https://api.example.com/me', 'user-id-field': 'id' },
    });
  });

  test('does not ask about the broker for GitHub (broker only) or local (no broker)', async () => {
    prompts.inject([]);
    expect(await askForMissing({ dir: 'x', provider: 'github', framework: 'express', transport: 'stateless', runtime: 'node', scopes: 'read' }, '/work')).toEqual({});
    expect(await askForMissing({ dir: 'x', provider: 'local', framework: 'express', transport: 'stateless', runtime: 'node', scopes: 'read' }, '/work')).toEqual({});
  });

  test('turns Ctrl-C into a cancel with exit code 130', async () => {
    prompts.inject([new Error('aborted')]);
    const error = await askForMissing({}, '/work').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(130);
  });
});
