import { describe, expect, test } from 'vitest';
import { formatDryRun, formatNextSteps, inlineJson, shellQuote, type NextStepsInput } from '../../../src/create/next-steps.js';

describe('formatDryRun', () => {
  test('lists every path sorted, with aligned sizes and a total', () => {
    const files = new Map<string, string | Buffer>([
      ['z.txt', 'x'.repeat(2048)],
      ['a.txt', 'é'],
    ]);
    expect(formatDryRun(files, 'app')).toEqual([
      'Dry run: would write 2 files (2.0 kB) to app; nothing was written.',
      '     2 B  a.txt',
      '  2.0 kB  z.txt',
    ]);
  });
});

const input: NextStepsInput = {
  displayDir: 'my app',
  serverName: 'my-app',
  installCommand: 'npm install',
  devCommand: 'npm run dev',
  testCommand: 'npm test',
  mcpUrl: 'http://localhost:3000/mcp',
  devAuthServer: true,
};

/** The JSON snippet printed on the line after `label`. */
function snippetAfter(lines: string[], label: string): unknown {
  const at = lines.findIndex((line) => line.includes(label));
  expect(at, `a line with ${label}`).toBeGreaterThan(-1);
  return JSON.parse(lines[at + 1]!);
}

describe('formatNextSteps', () => {
  test('lists cd, the install when it was skipped, the dev command and the exact MCP URL', () => {
    const lines = formatNextSteps(input);
    expect(lines.join('\n')).toContain("Next steps:\n  cd 'my app'\n  npm install\n  npm run dev\n");
    const url = lines.findIndex((line) => line.startsWith('MCP URL'));
    expect(lines[url + 1]).toBe('  http://localhost:3000/mcp');
  });

  test('skips cd for the current directory and install when done', () => {
    const lines = formatNextSteps({ ...input, displayDir: '.', installCommand: undefined, devCommand: 'pnpm dev', devAuthServer: false });
    expect(lines.slice(0, 4)).toEqual(['', 'Next steps:', '  pnpm dev', '']);
  });

  test('prints a Claude Desktop entry (mcp-remote) and a VS Code .vscode/mcp.json entry that parse as the right JSON', () => {
    const lines = formatNextSteps(input);
    expect(snippetAfter(lines, 'claude_desktop_config.json')).toEqual({
      mcpServers: { 'my-app': { command: 'npx', args: ['-y', 'mcp-remote', 'http://localhost:3000/mcp'] } },
    });
    expect(snippetAfter(lines, '.vscode/mcp.json')).toEqual({ servers: { 'my-app': { type: 'http', url: 'http://localhost:3000/mcp' } } });
    expect(lines.find((line) => line.includes('MCP Inspector'))).toContain('npx @modelcontextprotocol/inspector');
  });

  test('escapes values in the snippets: what is printed parses back to exactly the values given', () => {
    const odd = { ...input, serverName: '@acme/mcp "x" \\ }]', mcpUrl: 'https://mcp.example.com/a"b\\c/mcp' };
    const lines = formatNextSteps(odd);
    expect(snippetAfter(lines, 'claude_desktop_config.json')).toEqual({
      mcpServers: { [odd.serverName]: { command: 'npx', args: ['-y', 'mcp-remote', odd.mcpUrl] } },
    });
    expect(snippetAfter(lines, '.vscode/mcp.json')).toEqual({ servers: { [odd.serverName]: { type: 'http', url: odd.mcpUrl } } });
  });

  test('says when dev also starts the development authorization server, and ends with the test command', () => {
    expect(formatNextSteps(input).join('\n')).toContain('development authorization server');
    expect(formatNextSteps({ ...input, devAuthServer: false }).join('\n')).not.toContain('development authorization server');
    expect(formatNextSteps({ ...input, testCommand: 'bun run test' }).at(-1)).toMatch(/^Also: bun run test /);
  });
});

test('inlineJson is JSON with spaces, strings escaped by JSON.stringify', () => {
  const value = { a: ['x', 'y"}'], b: { c: 1, d: null, e: true }, f: [], g: {} };
  expect(inlineJson(value)).toBe('{ "a": ["x", "y\\"}"], "b": { "c": 1, "d": null, "e": true }, "f": [], "g": {} }');
  expect(JSON.parse(inlineJson(value))).toEqual(value);
});

test('shellQuote leaves plain paths alone and single-quotes the rest', () => {
  expect(shellQuote('../servers/my-app')).toBe('../servers/my-app');
  expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
});
