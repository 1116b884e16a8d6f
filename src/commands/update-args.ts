/**
 * argv → arguments of `update` and `add tool` (pure), and their `--help`. `update` takes the same answer flags as
 * `create` (the same table, the same validators later); create-only options are refused by name.
 */
import { flagSpecs, parseFlags } from '../answers/flags.js';
import { CliError } from '../errors.js';
import type { AddToolArgs } from './add-tool.js';
import type { UpdateArgs } from './update.js';

export type UpdateCommand = { action: 'help' } | { action: 'run'; args: UpdateArgs };
export type AddToolCommand = { action: 'help' } | { action: 'run'; args: AddToolArgs };

/** create options that make no sense for update (it never installs, never inits git, never overwrites blindly). */
const CREATE_ONLY = new Set(['--no-install', '--no-git', '--force']);

export function parseUpdateArgs(argv: readonly string[]): UpdateCommand {
  let check = false;
  const rest: string[] = [];
  for (const arg of argv) {
    if (arg === '--check') check = true;
    else if (CREATE_ONLY.has(arg.split('=')[0]!)) throw new CliError('invalid_argument', `${arg} is a create flag; update does not take it (see update --help)`);
    else rest.push(arg);
  }
  const parsed = parseFlags(rest);
  if (parsed.action === 'help') return { action: 'help' };
  if (parsed.action === 'version') throw new CliError('invalid_argument', '--version is not an update flag; run create-mcp-auth-server --version');
  if (check && parsed.options.dryRun) throw new CliError('invalid_argument', '--check and --dry-run do not go together: --check only says whether an update is available');
  return {
    action: 'run',
    args: {
      ...(parsed.dir !== undefined ? { dir: parsed.dir } : {}),
      answers: parsed.answers,
      yes: parsed.options.yes,
      dryRun: parsed.options.dryRun,
      check,
    },
  };
}

export function parseAddArgs(argv: readonly string[]): AddToolCommand {
  if (argv[0] === '--help' || argv[0] === '-h') return { action: 'help' };
  if (argv[0] !== 'tool') {
    throw new CliError('invalid_argument', `add ${argv[0] === undefined ? 'needs what to add' : `${JSON.stringify(argv[0])} is not something add knows`}: use add tool <name>`);
  }
  const values: { scopes?: string; description?: string; dir?: string } = {};
  let dryRun = false;
  const positionals: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { action: 'help' };
    if (arg === '--dry-run') {
      dryRun = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = ({ '--scopes': 'scopes', '--description': 'description', '--dir': 'dir' } as const)[flag as '--scopes'];
    if (!key) throw new CliError('invalid_argument', `unknown flag ${flag} for add tool; it takes --scopes, --description, --dir and --dry-run`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new CliError('invalid_argument', `${flag} needs a value`);
    values[key] = value;
  }
  if (positionals.length !== 1) {
    throw new CliError('invalid_argument', positionals.length === 0 ? 'add tool needs a tool name: add tool <name>' : `add tool takes one name (got ${positionals.map((p) => JSON.stringify(p)).join(' ')})`);
  }
  return { action: 'run', args: { name: positionals[0]!, ...values, dryRun } };
}

const answerFlags = flagSpecs.filter((spec) => spec.kind === 'answer');

export function formatUpdateHelp(): string {
  return [
    'Update a project made by create-mcp-auth-server: re-render it with this version and (optionally) new answers,',
    'and merge that into your files, keeping every line you wrote.',
    '',
    'Usage:',
    '  npx create-mcp-auth-server@latest update [dir] [flags]',
    '',
    'Answer flags (default: the answers recorded in .mcp-auth-server.json):',
    ...answerFlags.map((spec) => `  --${spec.name}${'value' in spec ? ` ${spec.value}` : ''}`.padEnd(28) + ` ${spec.description}`),
    '',
    'Flags:',
    '  --check                    exit 2 if an update is available, 0 if the project is current; writes nothing',
    '  --dry-run                  print the diff the update would apply; writes nothing',
    '  -y, --yes                  never prompt',
    '  -h, --help                 show this help',
    '',
    'Exit codes: 0 updated (or already current), 1 error or refusal (nothing written), 2 update available (--check),',
    '3 updated with conflicts: the files are listed, hold "<<<<<<< your version" / ">>>>>>> generator update" blocks,',
    'and are marked unmerged in git. update refuses a dirty git tree and files still holding conflict markers.',
    '',
    'Examples:',
    '  npx create-mcp-auth-server@latest update --check',
    '  npx create-mcp-auth-server@latest update --scopes read,write,admin',
    '',
  ].join('\n');
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
    '  --scopes <a,b>             scopes a token needs to call it (default: the project\'s first scope)',
    '  --description <text>       what it does, for the model (one line)',
    '  --dir <path>               the project folder (default: the current one)',
    '  --dry-run                  print the diff it would apply; writes nothing',
    '  -h, --help                 show this help',
    '',
    'Exit codes as for update: 0 done, 1 error or refusal, 3 done with conflicts.',
    '',
    'Example:',
    '  npx create-mcp-auth-server@latest add tool delete_note --scopes admin --description "Deletes a note."',
    '',
  ].join('\n');
}
