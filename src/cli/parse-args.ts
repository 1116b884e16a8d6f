/**
 * The one argv parser: `node:util` `parseArgs` in strict mode, driven by a command's flag table, with our own
 * messages for what it refuses (an unknown flag with the closest known one, a missing value, a value on a switch).
 * Pure: values stay raw strings; the answer validators check them later, exactly as they check prompt input.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestMatch } from './closest-match.js';
import { CliError } from '../errors.js';

/** One flag of a command: the parser reads `name`, `alias` and `value`; `--help` prints all of it. */
export interface Flag {
  /** Long name, without `--`. */
  name: string;
  /** One-letter short name, without `-`. */
  alias?: string;
  /** The value's placeholder in `--help` (`<url>`); a flag without one is a switch and takes no value. */
  value?: string;
  description: string;
  /** Shown in --help; absent when there is no default. */
  default?: string;
  choices?: readonly { id: string; hint: string }[];
}

/** A command's flags and how it words their errors. */
export interface FlagTable<F extends Flag = Flag> {
  flags: readonly F[];
  /** The start of the unknown-flag error: `unknown flag --x`, `unknown doctor flag --x`. */
  unknownFlag: (flag: string) => string;
  /** Where to look when no flag is close enough to suggest: `--help`, `doctor --help`. */
  help: string;
  /** Flags of other commands this one refuses by name (`--force`, `-v`), each with its own message. */
  refused?: Readonly<Record<string, string>>;
}

export interface CommandLine {
  /** Values of the value flags that were given (the last one when a flag is repeated). */
  values: Readonly<Record<string, string>>;
  /** Switches that were given. */
  switches: ReadonlySet<string>;
  positionals: readonly string[];
}

/** What a subcommand's argv asks for: its help, or a run with these arguments. */
export type ParsedCommand<Args> = { action: 'help' } | { action: 'run'; args: Args };

type OptionToken = Extract<NonNullable<ReturnType<typeof parseArgs>['tokens']>[number], { kind: 'option' }>;

function parseArgsOptions(flags: readonly Flag[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    flags.map((flag) => [flag.name, { type: flag.value === undefined ? 'boolean' : 'string', ...(flag.alias ? { short: flag.alias } : {}) }] as const),
  );
}

/** argv → the command line `table` describes, or a CliError('invalid_argument') naming the first bad flag. */
export function parseCommandLine(table: FlagTable, argv: readonly string[]): CommandLine {
  const parsed = parseStrictly(table, argv);
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') values[name] = value;
    else if (value === true) switches.add(name);
  }
  return { values, switches, positionals: parsed.positionals };
}

/** The one optional positional argument (a project directory), refusing a second. */
export function optionalDirectory(line: CommandLine): { dir?: string } {
  if (line.positionals.length > 1) {
    throw new CliError('invalid_argument', `unexpected argument ${JSON.stringify(line.positionals[1])}: give at most one directory`);
  }
  return line.positionals[0] === undefined ? {} : { dir: line.positionals[0] };
}

/** The values that were given, under the names the command's arguments use: `{ 'mcp-url': 'mcpUrl' }`. */
export function valuesOf<Key extends string>(line: CommandLine, keys: Readonly<Record<string, Key>>): Partial<Record<Key, string>> {
  const picked: Partial<Record<Key, string>> = {};
  for (const [flag, key] of Object.entries(keys)) {
    const value = line.values[flag];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

function parseStrictly(table: FlagTable, argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: parseArgsOptions(table.flags), strict: true, allowPositionals: true });
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw explainRefusal(table, argv) ?? new CliError('invalid_argument', error.message);
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}

/** Strict parsing stopped at a problem: find it again in the tokens (in argv order) and say it our way. */
function explainRefusal(table: FlagTable, argv: readonly string[]): CliError | undefined {
  const { tokens } = parseArgs({ args: [...argv], options: parseArgsOptions(table.flags), strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    const problem = token.kind === 'option' ? problemWith(table, token) : undefined;
    if (problem) return new CliError('invalid_argument', problem);
  }
  return undefined;
}

function problemWith(table: FlagTable, token: OptionToken): string | undefined {
  const flag = table.flags.find((candidate) => candidate.name === token.name);
  if (!flag) return table.refused?.[token.rawName] ?? unknownFlag(table, token.rawName);
  if (flag.value === undefined) return token.inlineValue ? `${token.rawName} does not take a value` : undefined;
  // `--issuer --yes` is a forgotten value, not an issuer named "--yes" (parseArgs' own rule for option-like values).
  const looksLikeAFlag = !token.inlineValue && token.value !== undefined && token.value.length > 1 && token.value.startsWith('-');
  if (token.value === undefined || looksLikeAFlag) {
    return `${token.rawName} needs a value: ${token.rawName} ${flag.value} (or ${token.rawName}=${flag.value})`;
  }
  return undefined;
}

function unknownFlag(table: FlagTable, flag: string): string {
  const suggestion = closestMatch(flag.replace(/^-+/, ''), table.flags.map((candidate) => candidate.name));
  return `${table.unknownFlag(flag)}; ${suggestion ? `did you mean --${suggestion}?` : `see ${table.help}`}`;
}
