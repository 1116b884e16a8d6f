import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { serializeAnswersFile } from '../../../src/answers/answers-file.js';
import { doctor } from '../../../src/doctor/run.js';

/** `doctor` in a project made with `--jwks-uri` or `--metadata-url`: the given URL answers and serves keys. */
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
let state: { jwksStatus: number; claimIssuer?: string } = { jwksStatus: 200 };
let server: Server;
let base = '';
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/custom/meta') return json(200, { issuer: state.claimIssuer ?? base, jwks_uri: `${base}/keys` });
    if (req.url === '/keys') return json(state.jwksStatus, state.jwksStatus === 200 ? { keys: [publicJwk] } : { error: 'down' });
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  state = { jwksStatus: 200 };
});

async function project(extra: Partial<Answers>, env = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'doctor-manual-'));
  dirs.push(dir);
  const answers: Answers = { projectName: 'app', provider: 'oidc', framework: 'express', transport: 'stateless', scopes: ['read'], issuer: base, tokenFormat: 'jwt', metadataShim: false, packageManager: 'npm', ...extra };
  await writeFile(join(dir, '.mcp-auth-server.json'), serializeAnswersFile('0.1.0', answers));
  await writeFile(join(dir, '.env'), `AUTH_ISSUER=${base}\n${env}`);
  return dir;
}

async function run(dir: string): Promise<{ ready: boolean; output: string }> {
  const lines: string[] = [];
  const logger = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
  const { ready } = await doctor({}, { cwd: dir, env: {}, logger });
  return { ready, output: lines.join('\n') };
}

describe('doctor with the escape hatch', () => {
  test('--jwks-uri: ready when the JWKS serves keys, without any discovery', async () => {
    const { ready, output } = await run(await project({ jwksUri: `${base}/keys` }));
    expect(output).toContain('JWKS reachable: 1 key(s), algorithms RS256');
    expect(output).toContain('no provider metadata (AUTH_JWKS_URI)');
    expect(ready).toBe(true);
  });

  test('--jwks-uri: not ready while the JWKS is down', async () => {
    state.jwksStatus = 503;
    const { ready, output } = await run(await project({ jwksUri: `${base}/keys` }));
    expect(output).toContain(`JWKS unreachable: ${base}/keys → 503`);
    expect(ready).toBe(false);
  });

  test('--metadata-url: ready, and a document naming another issuer is a failure', async () => {
    const dir = await project({ metadataUrl: `${base}/custom/meta` });
    expect(await run(dir)).toMatchObject({ ready: true });
    state.claimIssuer = 'https://other.example';
    const { ready, output } = await run(dir);
    expect(output).toContain('issuer mismatch');
    expect(ready).toBe(false);
  });

  test('.env wins over the answers file: an empty value turns the hatch off', async () => {
    const { output } = await run(await project({ jwksUri: `${base}/keys` }, 'AUTH_JWKS_URI=\nAUTH_METADATA_URL=\n'));
    expect(output).not.toContain('AUTH_JWKS_URI');
    expect(output).toMatch(/metadata/);
  });
});
