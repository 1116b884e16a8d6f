import { expect, test } from 'vitest';
import { formatCreateHelp } from '../../../src/cli/create-help.js';
import { providers } from '../../../src/providers/index.js';

test('shows each choice with its hint, read from the tables', () => {
  const help = formatCreateHelp();
  for (const provider of providers) expect(help).toMatch(new RegExp(`\\n +${provider.id} +${provider.hint.slice(0, 20)}`));
});

test('shows the defaults next to the flags', () => {
  const help = formatCreateHelp();
  expect(help).toMatch(/--provider <id> +authorization server \(default: local\)/);
  expect(help).toMatch(/--scopes <a,b> .*\(default: read,write\)/);
  expect(help).toMatch(/--issuer <url> .*\(default: http:\/\/localhost:3001 for local\)/);
});

test('lists --broker with the presets it is on for, --no-broker, and the plain OAuth 2 endpoint flags', () => {
  const help = formatCreateHelp();
  expect(help).toMatch(/--broker +the server signs users in at the provider .*\(default: on for okta, entra, cognito, google, fusionauth, pingone, github\)/);
  expect(help).toMatch(/--no-broker +a resource server only/);
  for (const flag of ['--authorization-url <url>', '--token-url <url>', '--userinfo-url <url>', '--user-id-field <segment>']) expect(help).toContain(flag);
  expect(help).toMatch(/\n +github +broker mode only/);
});
