import { expect, test } from 'vitest';
import { describeKeysToCopy, exampleFileFor, keysToCopy } from '../../../../src/update/merge/keys-to-copy.js';

test('lists the settings the new version adds or sets differently, in its order; comments and your own keys are not news', () => {
  const ours = '# mine\nAUTH_ISSUER=https://mine.example.com\nAUTH_CLIENT_SECRET=s3cr3t-VALUE-123\nPORT=3000\n';
  const theirs = '# new comment\nPORT=3000\nAUTH_ISSUER=http://localhost:3001\nAUTH_TOKEN_CACHE_SECONDS=60\nBROKER_KEY=k3y\n';
  const example = 'AUTH_ISSUER=http://localhost:3001\nAUTH_TOKEN_CACHE_SECONDS=60\nBROKER_KEY=\n';
  expect(keysToCopy(ours, theirs, example)).toEqual([
    { key: 'AUTH_ISSUER', value: 'http://localhost:3001', added: false },
    { key: 'AUTH_TOKEN_CACHE_SECONDS', value: '60', added: true },
    { key: 'BROKER_KEY', added: true },
  ]);
});

test('a value is shown only when .env.example has the same line: any other may be a secret', () => {
  expect(keysToCopy('', 'TOKEN=abc\n')).toEqual([{ key: 'TOKEN', added: true }]);
  expect(keysToCopy('', 'TOKEN=abc\n', 'TOKEN=abc\n')).toEqual([{ key: 'TOKEN', value: 'abc', added: true }]);
});

test('the report names the keys to copy and where they are documented, never a hidden value', () => {
  const note = describeKeysToCopy('.env', [
    { key: 'AUTH_TOKEN_CACHE_SECONDS', value: '60', added: true },
    { key: 'BROKER_KEY', added: true },
    { key: 'AUTH_ISSUER', value: 'http://localhost:3001', added: false },
  ]);
  expect(note).toBe(
    ' (yours kept as it is: it may hold secrets; the new version adds AUTH_TOKEN_CACHE_SECONDS=60, BROKER_KEY (value not shown)' +
      ' and sets AUTH_ISSUER=http://localhost:3001 (yours has another value): copy what you need, see .env.example)',
  );
  expect(describeKeysToCopy('.env', [])).toBe(' (yours kept as it is: it may hold secrets; the new version adds no setting yours lacks)');
  expect(exampleFileFor('config/.env.local')).toBe('config/.env.example');
});
