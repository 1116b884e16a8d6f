import { describe, expect, test } from 'vitest';
import { formatDryRun, formatNextSteps, shellQuote } from '../../../src/commands/report.js';

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

describe('formatNextSteps', () => {
  test('lists cd, the install when it was skipped, the dev command and the exact MCP URL', () => {
    const lines = formatNextSteps({
      displayDir: 'my app',
      installCommand: 'npm install',
      devCommand: 'npm run dev',
      mcpUrl: 'http://localhost:3000/mcp',
    });
    expect(lines.join('\n')).toContain("Next steps:\n  cd 'my app'\n  npm install\n  npm run dev\n");
    expect(lines.at(-1)).toBe('  http://localhost:3000/mcp');
  });

  test('skips cd for the current directory', () => {
    const lines = formatNextSteps({ displayDir: '.', devCommand: 'pnpm dev', mcpUrl: 'u' });
    expect(lines.slice(0, 3)).toEqual(['', 'Next steps:', '  pnpm dev']);
  });
});

test('shellQuote leaves plain paths alone and single-quotes the rest', () => {
  expect(shellQuote('../servers/my-app')).toBe('../servers/my-app');
  expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
});
