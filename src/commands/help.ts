/** `--help`, generated from the flag table and the choice tables so it cannot drift from what the parser accepts. */
import { flagSpecs, type FlagSpec } from '../answers/flags.js';

const COLUMN = 28;

function flagColumn(spec: FlagSpec): string {
  const names = spec.alias ? `-${spec.alias}, --${spec.name}` : `    --${spec.name}`;
  return spec.kind === 'answer' ? `${names} ${spec.value}` : names;
}

function formatFlag(spec: FlagSpec): string[] {
  const left = `  ${flagColumn(spec)}`;
  const defaults = spec.default ? ` (default: ${spec.default})` : '';
  const lines = [`${left.padEnd(COLUMN)} ${spec.description}${defaults}`];
  const width = Math.max(...(spec.choices ?? []).map((c) => c.id.length));
  for (const choice of spec.choices ?? []) {
    lines.push(`${''.padEnd(COLUMN)}   ${choice.id.padEnd(width)}  ${choice.hint}`.trimEnd());
  }
  return lines;
}

export function formatHelp(): string {
  return [
    'Create an MCP server that only answers requests with a valid OAuth access token.',
    '',
    'Usage:',
    '  npm create mcp-auth-server@latest [dir] -- [flags]',
    '  create-mcp-auth-server [dir] [flags]',
    '',
    'Every question can be answered with a flag; without a terminal (CI, agents) or with --yes nothing is asked.',
    'Flags take a value as --flag value or --flag=value.',
    '',
    'Flags:',
    ...flagSpecs.flatMap(formatFlag),
    '',
    'Examples:',
    '  npm create mcp-auth-server@latest my-server -- --yes',
    '  npm create mcp-auth-server@latest my-server -- --provider oidc --issuer https://tenant.example.com/ --framework hono',
    '',
  ].join('\n');
}
