/** `add tool`'s flag table, argv → its arguments (pure), and its `--help`. */
import type { AddToolArgs } from '../update/add-tool.js';
import { CliError } from '../errors.js';
import { formatFlags } from './format-help.js';
import { parseCommandLine, valuesOf, type FlagTable, type ParsedCommand } from './parse-args.js';

export const addToolFlagTable: FlagTable = {
  flags: [
    { name: 'scopes', value: '<a,b>', description: 'scopes a token needs to call it', default: "the project's first scope" },
    { name: 'description', value: '<text>', description: 'what it does, for the model (one line)', default: 'a TODO to fill in' },
    { name: 'dir', value: '<path>', description: 'the project folder', default: 'the current one' },
    { name: 'dry-run', description: 'print the diff it would apply; writes nothing' },
    { name: 'help', alias: 'h', description: 'show this help' },
  ],
  unknownFlag: (flag) => `unknown flag ${flag} for add tool`,
  help: 'add --help',
};

/** argv after `add`: `tool <name> [flags]`, or `--help`. */
export function parseAddArgs(argv: readonly string[]): ParsedCommand<AddToolArgs> {
  const [what, ...rest] = argv;
  if (what === '--help' || what === '-h') return { action: 'help' };
  if (what !== 'tool') {
    throw new CliError('invalid_argument', `add ${what === undefined ? 'needs what to add' : `${JSON.stringify(what)} is not something add knows`}: use add tool <name>`);
  }
  const line = parseCommandLine(addToolFlagTable, rest);
  if (line.switches.has('help')) return { action: 'help' };
  const [name, ...extra] = line.positionals;
  if (name === undefined) throw new CliError('invalid_argument', 'add tool needs a tool name: add tool <name>');
  if (extra.length > 0) throw new CliError('invalid_argument', `add tool takes one name (got ${line.positionals.map((p) => JSON.stringify(p)).join(' ')})`);
  const values = valuesOf(line, { scopes: 'scopes', description: 'description', dir: 'dir' });
  return { action: 'run', args: { name, ...values, dryRun: line.switches.has('dry-run') } };
}

export function formatAddHelp(): string {
  return [
    'Add a tool to a project made by create-mcp-auth-server: src/tools/<name>.ts, its test, its registration, and its',
    'scopes in the metadata and 401 challenge. Recorded in .mcp-auth-server.json, so update keeps it.',
    '',
    'Usage:',
    '  npx create-mcp-auth-server@latest add tool <name> [flags]',
    '',
    '<name>: 1 to 64 characters of A-Z, a-z, 0-9, _, - and . (MCP tool names), not used by another tool.',
    '',
    'Flags:',
    ...formatFlags(addToolFlagTable.flags),
    '',
    'Exit codes as for update: 0 done, 1 error or refusal, 3 done with conflicts.',
    '',
    'Example:',
    '  npx create-mcp-auth-server@latest add tool delete_note --scopes admin --description "Deletes a note."',
    '',
  ].join('\n');
}
