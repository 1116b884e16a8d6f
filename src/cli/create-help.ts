/** `create --help`, generated from the flag table and the choice tables so it cannot drift from what the parser accepts. */
import { flagSpecs } from '../answers/flags.js';
import { formatFlags } from './format-help.js';

const INPUT_COLUMN = 40;

/** Preset inputs, grouped by preset: `  auth0` then one line per flag. */
function formatProviderFlags(): string[] {
  const lines: string[] = [];
  let current = '';
  for (const spec of flagSpecs) {
    if (spec.kind !== 'input') continue;
    if (spec.providerId !== current) lines.push(`  ${(current = spec.providerId)}`);
    const left = `    --${spec.name} ${spec.value}`;
    const text = `${spec.input.label}, e.g. ${spec.input.example}${spec.default ? ` (default: ${spec.default})` : ''}`;
    lines.push(left.length < INPUT_COLUMN ? `${left.padEnd(INPUT_COLUMN)} ${text}` : `${left}\n${''.padEnd(INPUT_COLUMN)} ${text}`);
  }
  return lines;
}

export function formatCreateHelp(): string {
  return [
    'Create an MCP server that only answers requests with a valid OAuth access token.',
    '',
    'Usage:',
    '  npm create mcp-auth-server@latest [dir] -- [flags]',
    '  create-mcp-auth-server [dir] [flags]',
    '  create-mcp-auth-server update [flags]         (in a generated project; see update --help)',
    '  create-mcp-auth-server add tool <name> [flags] (in a generated project; see add --help)',
    '',
    'Every question can be answered with a flag; without a terminal (CI, agents) or with --yes nothing is asked.',
    'Flags take a value as --flag value or --flag=value.',
    '',
    'Flags:',
    ...formatFlags(flagSpecs.filter((spec) => spec.kind !== 'input')),
    '',
    'Provider flags (each preset asks for these; an explicit --issuer replaces the preset\'s issuer template):',
    ...formatProviderFlags(),
    '',
    'Examples:',
    '  npm create mcp-auth-server@latest my-server -- --yes',
    '  npm create mcp-auth-server@latest my-server -- --provider oidc --issuer https://tenant.example.com/ --framework hono',
    '  npm create mcp-auth-server@latest my-server -- --provider auth0 --auth0-domain dev-abc123.us.auth0.com',
    '',
    'Inside a generated project:',
    '  create-mcp-auth-server doctor [--token <jwt>]     check the live provider against this project',
    '  create-mcp-auth-server doctor --issuer <url>      check any issuer (see doctor --help)',
    '',
  ].join('\n');
}
