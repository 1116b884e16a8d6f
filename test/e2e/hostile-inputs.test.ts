import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

/**
 * Hostile values in every user-supplied input of the BUILT CLI: each is refused with one clear message and nothing
 * written, or rendered so the project still parses, type-checks and behaves the same. Every run happens in a
 * sandbox (its own cwd, HOME and TMPDIR) whose every path is compared before and after: nothing is ever written
 * outside the target directory. Ctrl-C at any moment leaves either the complete project or nothing.
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const sandbox = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-hostile-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** A marker inside every hostile value, to find where values land in the output. */
const MARK = 'H0STILE';
const hostile = {
  quotes: `a"${MARK}'b`,
  backtick: `a\`${MARK}`,
  template: `\${process.exit(7)}${MARK}`,
  script: `</script><svg/onload=alert(1)>${MARK}`,
  newline: `a\n${MARK}`,
  crlf: `a\r\nX-Injected: ${MARK}`,
  lookalike: `rеad${MARK}`, // Cyrillic е
  rtl: `a\u202e${MARK}`,
  long: `${MARK}${'x'.repeat(5000)}`,
};

let cases = 0;
/** Runs the CLI in a fresh folder of the sandbox, with its own HOME and TMPDIR, and says what changed. */
function scaffold(target: string, args: string[]) {
  const cwd = join(sandbox, `case-${cases++}`);
  for (const dir of ['home', 'tmp', 'work']) mkdirSync(join(cwd, dir), { recursive: true });
  const before = listTree(cwd);
  const result = spawnSync('node', [cli, target, '--yes', '--no-install', '--no-git', '--pm', 'npm', ...args], {
    cwd: join(cwd, 'work'),
    env: { PATH: process.env['PATH'], HOME: join(cwd, 'home'), TMPDIR: join(cwd, 'tmp'), NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const after = listTree(cwd);
  const added = [...after].filter((path) => !before.has(path));
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, added, dir: join(cwd, 'work', target) };
}

function listTree(root: string): Set<string> {
  const paths = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      paths.add(relative(root, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return paths;
}

/** Refused: non-zero exit, one short message naming the problem (no stack, no template internals), nothing written. */
function expectRefused(outcome: ReturnType<typeof scaffold>, message: RegExp) {
  expect(outcome.status).toBe(1);
  expect(outcome.stderr).toMatch(/^error: /);
  expect(outcome.stderr).toMatch(message);
  expect(outcome.stderr).not.toMatch(/\n\s+at |failed to render|\.ejs/);
  expect(outcome.added).toEqual([]);
}

/** Accepted: written only inside the target, and every file a value reached still parses and keeps it verbatim. */
function expectRendered(outcome: ReturnType<typeof scaffold>, values: Record<string, string>) {
  expect(outcome.stderr).toBe('');
  expect(outcome.status).toBe(0);
  const target = relative(join(outcome.dir, '..', '..'), outcome.dir);
  expect(outcome.added.filter((path) => path !== target && !path.startsWith(`${target}/`))).toEqual([]);
  const reached = [...listTree(outcome.dir)].filter((path) => !path.includes('node_modules') && readIfFile(join(outcome.dir, path))?.includes(MARK));
  expect(reached.length).toBeGreaterThan(0);
  for (const path of reached) {
    const text = readFileSync(join(outcome.dir, path), 'utf8');
    if (path.endsWith('.ts')) {
      const { diagnostics = [] } = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
      expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), path).toEqual([]);
    } else if (path.endsWith('.json')) {
      expect(() => JSON.parse(text), path).not.toThrow();
    } else if (/(^|\/)\.env(\.example)?$/.test(path)) {
      const env = parseEnv(text);
      for (const [name, value] of Object.entries(values)) if (name in env) expect(env[name], `${path} ${name}`).toBe(value);
    }
  }
  const answers = JSON.parse(readFileSync(join(outcome.dir, '.mcp-auth-server.json'), 'utf8')) as { answers: Record<string, unknown> };
  if (values['AUTH_ISSUER']) expect(answers.answers['issuer']).toBe(values['AUTH_ISSUER']);
  if (values['AUTH_AUDIENCE']) expect(answers.answers['audience']).toBe(values['AUTH_AUDIENCE']);
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

describe('hostile values that must be refused', () => {
  it.each([
    ['project name with quotes', [`p-${hostile.quotes}`], [], /not a valid npm package name/],
    ['project name with a backtick', [`p-${hostile.backtick}`], [], /not a valid npm package name/],
    ['project name with ${}', [`p-${hostile.template}`], [], /not a valid npm package name/],
    ['project name with a look-alike letter', [`p-${hostile.lookalike}`], [], /not a valid npm package name/],
    ['project name with a line break', [`p-${hostile.newline}`], [], /control characters or line breaks/],
    ['project name far too long', [`p-${hostile.long}`], [], /not a valid npm package name/],
    ['scope with quotes', ['p'], ['--scopes', `read,${hostile.quotes}`], /not an OAuth scope token/],
    ['scope with a line break', ['p'], ['--scopes', `read,${hostile.newline}`], /control characters or line breaks/],
    ['scope with a look-alike letter', ['p'], ['--scopes', hostile.lookalike], /not an OAuth scope token/],
    ['scope with a right-to-left override', ['p'], ['--scopes', hostile.rtl], /not an OAuth scope token|control characters/],
    ['audience with both quote kinds', ['p'], ['--audience', hostile.quotes], /audience must not contain both/],
    ['audience with CR LF (header injection)', ['p'], ['--audience', hostile.crlf], /control characters or line breaks/],
    ['audience far too long', ['p'], ['--audience', hostile.long], /at most \d+ characters/],
    ['issuer with a line break', ['p'], ['--provider', 'oidc', '--issuer', `https://idp.example/${hostile.newline}`], /control characters or line breaks/],
    ['issuer that is not a URL', ['p'], ['--provider', 'oidc', '--issuer', hostile.script], /issuer/],
    ['issuer over http off loopback', ['p'], ['--provider', 'oidc', '--issuer', 'http://evil.example'], /https/],
    ['provider input with ${} (keycloak realm)', ['p'], ['--provider', 'keycloak', '--keycloak-url', 'https://kc.example.com', '--keycloak-realm', hostile.template], /--keycloak-realm/],
    ['provider input with a path (auth0 domain)', ['p'], ['--provider', 'auth0', '--auth0-domain', `evil.example/${hostile.backtick}`], /--auth0-domain/],
    ['provider input with ../ (okta server id)', ['p'], ['--provider', 'okta', '--okta-domain', 'dev.okta.com', '--okta-auth-server', '../../etc'], /--okta-auth-server/],
    ['provider id that does not exist', ['p'], ['--provider', hostile.script], /provider/],
  ])('%s', (_name, positional, flags, message) => {
    expectRefused(scaffold(positional[0]!, flags), message);
  });

  it('cannot receive NUL at all: the OS refuses it in argv, and prompts share the validators that refuse control characters', () => {
    expect(() => spawnSync('node', [cli, 'p', '--audience', `a\0b`])).toThrow(/null bytes/);
  });

  it.each([
    ['both quote kinds', hostile.quotes],
    ['a backtick and a template', `${hostile.backtick}${hostile.template}`],
    ['markup', hostile.script],
    ['a look-alike letter', hostile.lookalike],
  ])('issuer with %s is refused with a message about the issuer', (_name, value) => {
    expectRefused(scaffold('p', ['--provider', 'oidc', '--issuer', `https://idp.example/${value}`]), /issuer must be a URL written with URI characters only/);
  });
});

describe('hostile values that may be kept', () => {
  // Every character a URI may hold that means something in TS, JSON, .env or Markdown: ' $ ( ) * ; = ! & [ ] %.
  const issuer = `https://idp.example/a'${MARK}$(x)*;=!&[1]%41/$/${'y'.repeat(3000)}`;
  const audience = `${hostile.backtick}${hostile.template}${hostile.script}'${hostile.lookalike}`;
  const scopes = [`r${hostile.backtick}${hostile.template}</script>$`, `w${MARK}${'z'.repeat(3000)}`];

  it.each(['express', 'hono'])('are rendered verbatim and safely into a %s project', (framework) => {
    const outcome = scaffold('p', ['--framework', framework, '--provider', 'oidc', '--issuer', issuer, '--audience', audience, '--scopes', scopes.join(',')]);
    expectRendered(outcome, { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience });
    // The scopes survive as TypeScript string values, not as code.
    const source = ts.createSourceFile('scopes.ts', readFileSync(join(outcome.dir, 'src/scopes.ts'), 'utf8'), ts.ScriptTarget.Latest);
    const literals: string[] = [];
    const visit = (node: ts.Node): void => (ts.isStringLiteral(node) ? void literals.push(node.text) : ts.forEachChild(node, visit));
    visit(source);
    expect(literals).toEqual(expect.arrayContaining(scopes));
  });

  it.each([
    ['keycloak base URL with a hostile path', ['--provider', 'keycloak', '--keycloak-url', `https://kc.example.com/${hostile.backtick}${hostile.template}`, '--keycloak-realm', 'mcp']],
    ['keycloak audience', ['--provider', 'keycloak', '--keycloak-url', 'https://kc.example.com', '--keycloak-realm', 'mcp', '--keycloak-audience', audience]],
    ['auth0 audience with a single quote', ['--provider', 'auth0', '--auth0-domain', 'dev.us.auth0.com', '--auth0-audience', `x'${MARK}`]],
  ])('provider input: %s is refused or rendered safely', (_name, flags) => {
    const outcome = scaffold('p', flags);
    if (outcome.status === 0) expectRendered(outcome, {});
    else expectRefused(outcome, /./);
  });

  it('type-check, and serve metadata and challenges built from those values (express)', async () => {
    const outcome = scaffold('typed', ['--provider', 'oidc', '--issuer', issuer, '--audience', audience, '--scopes', scopes.join(',')]);
    expect(outcome.status).toBe(0);
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: outcome.dir });
    await run('npx', ['tsc', '--noEmit'], { cwd: outcome.dir });
    // The project's own metadata test: scopes_supported and the 401 challenge carry exactly the configured scopes.
    const output = (await run('npx', ['vitest', 'run', 'test/http/metadata.test.ts'], { cwd: outcome.dir })).replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
    expect(output).toMatch(/Tests\s+\d+ passed/);
  });
});

describe('Ctrl-C', () => {
  it('at any moment leaves the complete project or nothing, and nothing outside the target', async () => {
    const reference = scaffold('p', []);
    expect(reference.status).toBe(0);
    const complete = [...listTree(reference.dir)].sort();
    const delays = [0, 15, 30, 45, 60, 80, 100, 130, 160, 200, 260];
    const outcomes: string[] = [];
    for (const delay of delays) {
      const cwd = join(sandbox, `sigint-${delay}`);
      mkdirSync(cwd, { recursive: true });
      const child = spawn('node', [cli, 'p', '--yes', '--no-install', '--no-git', '--pm', 'npm'], { cwd, stdio: 'ignore', env: { PATH: process.env['PATH'], HOME: cwd, TMPDIR: cwd } });
      const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGINT');
      const [code, signal] = await exited;
      const left = readdirSync(cwd);
      if (left.length === 0) outcomes.push(`${delay} ms: nothing (${code ?? signal})`);
      else {
        expect(left).toEqual(['p']);
        // Complete: the signal came after the move into place (the exit code then says only how the process ended).
        expect([...listTree(join(cwd, 'p'))].sort()).toEqual(complete);
        outcomes.push(`${delay} ms: complete (${code ?? signal})`);
      }
    }
    expect(outcomes).toHaveLength(delays.length);
  });
});
