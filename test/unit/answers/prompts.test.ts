import prompts from 'prompts';
import { describe, expect, test } from 'vitest';
import { askForMissing } from '../../../src/answers/prompts.js';
import { CliError } from '../../../src/errors.js';

// prompts.inject answers the questions that are actually asked, in order, without a terminal.
describe('askForMissing', () => {
  test('asks every question for oidc, including issuer and audience', async () => {
    prompts.inject(['my-app', 'oidc', 'hono', 'stateful', 'a,b', 'https://id.example.com', 'api://x']);
    expect(await askForMissing({}, '/work')).toEqual({
      dir: 'my-app',
      provider: 'oidc',
      framework: 'hono',
      transport: 'stateful',
      scopes: 'a,b',
      issuer: 'https://id.example.com',
      audience: 'api://x',
    });
  });

  test('does not ask for an issuer or audience when the local provider brings its own server', async () => {
    prompts.inject(['my-app', 'local', 'express', 'stateless', 'read,write']);
    expect(await askForMissing({}, '/work')).toEqual({
      dir: 'my-app',
      provider: 'local',
      framework: 'express',
      transport: 'stateless',
      scopes: 'read,write',
    });
  });

  test('skips what flags answered, using the flag provider to decide on the issuer', async () => {
    prompts.inject(['https://as.example.com', '']);
    const known = { dir: 'x', provider: 'oauth', framework: 'express', transport: 'stateless', scopes: 'read' };
    expect(await askForMissing(known, '/work')).toEqual({ issuer: 'https://as.example.com', audience: '' });
  });

  test('turns Ctrl-C into a cancel with exit code 130', async () => {
    prompts.inject([new Error('aborted')]);
    const error = await askForMissing({}, '/work').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(130);
  });
});
