/**
 * `update`'s flag table, argv → its arguments (pure), and its `--help`. It takes `create`'s answer and provider
 * flags (the same table rows, the same validators later) and refuses create-only flags by name.
 */
import { flagSpecs, rawAnswersFrom } from '../answers/flags.js';
import type { UpdateArgs } from '../update/run.js';
import { CliError } from '../errors.js';
import { formatFlags } from './format-help.js';
import { optionalDirectory, parseCommandLine, type Flag, type FlagTable, type ParsedCommand } from './parse-args.js';

const answerFlags = flagSpecs.filter((spec) => spec.kind === 'answer' || spec.kind === 'answer-switch');
const providerInputFlags = flagSpecs.filter((spec) => spec.kind === 'input');

const updateSwitches: readonly Flag[] = [
  { name: 'check', description: 'exit 2 if an update is available, 0 if the project is current; writes nothing' },
  { name: 'dry-run', description: 'print the diff the update would apply; writes nothing' },
  { name: 'yes', alias: 'y', description: 'never prompt' },
  { name: 'help', alias: 'h', description: 'show this help' },
];

/** create options that make no sense for update (it never installs, never inits git, never overwrites blindly). */
const CREATE_ONLY = ['--no-install', '--no-git', '--force'];
const NOT_AN_UPDATE_FLAG = '--version is not an update flag; run create-mcp-auth-server --version';

export const updateFlagTable: FlagTable = {
  flags: [...answerFlags, ...providerInputFlags, ...updateSwitches],
  unknownFlag: (flag) => `unknown flag ${flag}`,
  help: 'update --help',
  refused: {
    ...Object.fromEntries(CREATE_ONLY.map((flag) => [flag, `${flag} is a create flag; update does not take it (see update --help)`])),
    '--version': NOT_AN_UPDATE_FLAG,
    '-v': NOT_AN_UPDATE_FLAG,
  },
};

export function parseUpdateArgs(argv: readonly string[]): ParsedCommand<UpdateArgs> {
  const line = parseCommandLine(updateFlagTable, argv);
  if (line.switches.has('help')) return { action: 'help' };
  const check = line.switches.has('check');
  const dryRun = line.switches.has('dry-run');
  if (check && dryRun) throw new CliError('invalid_argument', '--check and --dry-run do not go together: --check only says whether an update is available');
  return { action: 'run', args: { ...optionalDirectory(line), answers: rawAnswersFrom(line), yes: line.switches.has('yes'), dryRun, check } };
}

export function formatUpdateHelp(): string {
  return [
    'Update a project made by create-mcp-auth-server: re-render it with this version and (optionally) new answers,',
    'and merge that into your files, keeping every line you wrote.',
    '',
    'Usage:',
    '  npx create-mcp-auth-server@latest update [dir] [flags]',
    '',
    'Answer flags (default: the answers recorded in .mcp-auth-server.json):',
    ...formatFlags(answerFlags, { defaults: false }),
    `  ${'    --<provider>-<input>'.padEnd(26)} a preset's inputs (${providerInputFlags.length} flags, such as --${providerInputFlags[0]?.name}),`,
    `  ${''.padEnd(26)} as for create: create-mcp-auth-server --help lists them`,
    '',
    'Flags:',
    ...formatFlags(updateSwitches),
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
