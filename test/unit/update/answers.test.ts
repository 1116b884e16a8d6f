import { expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { rawFromAnswers } from '../../../src/update/answers.js';
import { compareVersions } from '../../../src/update/compare-versions.js';

const recorded: Answers = {
  projectName: 'app',
  provider: 'oidc',
  framework: 'express',
  transport: 'stateless',
  scopes: ['read', 'write'],
  issuer: 'https://id.example.com/',
  audience: 'https://api.example.com',
  packageManager: 'pnpm',
  tools: [{ name: 'ping', scopes: ['read'], description: 'Pings.' }],
};

test('the recorded answers are the defaults; flags override them', () => {
  expect(rawFromAnswers(recorded, { scopes: 'read,write,admin' })).toEqual({
    provider: 'oidc',
    framework: 'express',
    transport: 'stateless',
    scopes: 'read,write,admin',
    issuer: 'https://id.example.com/',
    audience: 'https://api.example.com',
    packageManager: 'pnpm',
    // Not recorded means a resource server: passed on, so the preset's default never turns it into a broker.
    broker: false,
  });
});

test('another provider drops the recorded issuer and audience, so the new provider brings (or asks for) its own', () => {
  const raw = rawFromAnswers(recorded, { provider: 'local' });
  expect(raw).toMatchObject({ provider: 'local', scopes: 'read,write' });
  expect(raw).not.toHaveProperty('issuer');
  expect(raw).not.toHaveProperty('audience');
  expect(rawFromAnswers(recorded, { provider: 'oauth', issuer: 'https://as.example.com' })).toMatchObject({ issuer: 'https://as.example.com' });
});

test('compareVersions orders releases and pre-releases', () => {
  expect(compareVersions('0.2.0', '0.10.0')).toBe(-1);
  expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
  expect(compareVersions('1.0.0', '1.0.0-beta.1')).toBe(1);
  expect(compareVersions('1.0.0-alpha', '1.0.0-beta')).toBe(-1);
});
