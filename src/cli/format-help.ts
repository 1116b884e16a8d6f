/** The flag lines of every command's `--help`, printed from its flag table so help cannot drift from the parser. */
import type { Flag } from './parse-args.js';

/** Where descriptions start. */
const COLUMN = 28;

function flagColumn(flag: Flag): string {
  const names = flag.alias ? `-${flag.alias}, --${flag.name}` : `    --${flag.name}`;
  return flag.value === undefined ? names : `${names} ${flag.value}`;
}

export interface FlagHelpOptions {
  /** Print `(default: …)`; off where the default is something else (update: the recorded answers). */
  defaults?: boolean;
}

/** One line per flag (`  -y, --yes   accept defaults…`), then one per choice with its hint. */
export function formatFlag(flag: Flag, options: FlagHelpOptions = {}): string[] {
  const left = `  ${flagColumn(flag)}`;
  const defaults = flag.default && options.defaults !== false ? ` (default: ${flag.default})` : '';
  const lines = [`${left.padEnd(COLUMN)} ${flag.description}${defaults}`];
  const width = Math.max(...(flag.choices ?? []).map((choice) => choice.id.length));
  for (const choice of flag.choices ?? []) {
    lines.push(`${''.padEnd(COLUMN)}   ${choice.id.padEnd(width)}  ${choice.hint}`.trimEnd());
  }
  return lines;
}

export function formatFlags(flags: readonly Flag[], options: FlagHelpOptions = {}): string[] {
  return flags.flatMap((flag) => formatFlag(flag, options));
}
