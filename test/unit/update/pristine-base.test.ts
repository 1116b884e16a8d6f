import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { serializeBase } from '../../../src/update/pristine-base.js';
import { parseBase } from '../../../src/update/read-base.js';

const SECRET = 'AUTH_CLIENT_SECRET=s3cr3t-VALUE-123';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const files = new Map<string, string | Buffer>([
  ['.env', `PORT=3000\n${SECRET}\n`],
  ['.env.local', `${SECRET}\n`],
  ['dev/key.secret.json', `{"key":"${SECRET}"}\n`],
  ['.env.example', 'PORT=3000\nAUTH_CLIENT_SECRET=\n'],
  ['src/a.ts', 'one\ntwo\n'],
  ['logo.bin', Buffer.from([0, 1, 2])],
]);

test('files that may hold secrets are stored as a SHA-256 of what was rendered, never their contents', () => {
  const text = serializeBase('1.0.0', files);
  expect(text).not.toContain('s3cr3t');
  const stored = JSON.parse(text).files;
  expect(stored['.env']).toEqual({ sha256: sha256(`PORT=3000\n${SECRET}\n`) });
  expect(stored['.env.local']).toEqual({ sha256: sha256(`${SECRET}\n`) });
  expect(stored['dev/key.secret.json']).toEqual({ sha256: sha256(`{"key":"${SECRET}"}\n`) });
  // Everything else stays an exact, readable copy.
  expect(stored['.env.example']).toEqual(['PORT=3000\n', 'AUTH_CLIENT_SECRET=\n']);
  expect(stored['src/a.ts']).toEqual(['one\n', 'two\n']);
  expect(stored['logo.bin']).toEqual({ base64: 'AAEC' });
});

test('reads back: digests stay digests, the rest is the exact copy', () => {
  const base = parseBase(serializeBase('1.0.0', files));
  expect(base.files.get('.env')).toEqual({ sha256: sha256(`PORT=3000\n${SECRET}\n`) });
  expect(base.files.get('src/a.ts')).toBe('one\ntwo\n');
  expect(base.files.get('logo.bin')).toEqual(Buffer.from([0, 1, 2]));
  expect(base.secretCopies).toEqual([]);
});

test('a base file from an earlier version, with the contents of .env, is read as a digest and its copy is named', () => {
  const old = { note: 'old', generatorVersion: '0.1.0', files: { '.env': ['PORT=3000\n', `${SECRET}\n`], 'src/a.ts': ['one\n'] } };
  const base = parseBase(JSON.stringify(old));
  expect(base.files.get('.env')).toEqual({ sha256: sha256(`PORT=3000\n${SECRET}\n`) });
  expect(base.secretCopies).toEqual(['.env']);
  expect(base.files.get('src/a.ts')).toBe('one\n');
});

test('a digest that is not a SHA-256 is refused like any damaged base file', () => {
  const damaged = { note: '', generatorVersion: '1.0.0', files: { '.env': { sha256: 'abc' } } };
  expect(() => parseBase(JSON.stringify(damaged))).toThrow(/does not match its schema/);
});
