/**
 * What `update` tells the user about a file that may hold secrets and that it kept as theirs (rule `keep-secret`):
 * the settings the new version has that the user's file lacks or sets differently, so they can copy them by hand.
 * A value is shown only when the committed `.env.example` beside it has the same line, which makes it a public
 * default; any other value may be a secret and is named, never printed.
 */
import { parseEnv } from 'node:util';

export interface KeyToCopy {
  key: string;
  /** The new version's value; absent when it is not in `.env.example` (it may be a secret). */
  value?: string;
  /** The user's file has no such key (otherwise it has another value). */
  added: boolean;
}

/** The `.env.example` a secret file's keys are documented in: the one in the same folder. */
export const exampleFileFor = (path: string) => path.replace(/[^/]*$/, '.env.example');

/** Settings of `theirs` that `ours` lacks or sets differently, in theirs' order (files in `.env` syntax). */
export function keysToCopy(ours: string, theirs: string, example = ''): KeyToCopy[] {
  const [mine, next, documented] = [parseEnv(ours), parseEnv(theirs), parseEnv(example)];
  const keys: KeyToCopy[] = [];
  for (const [key, value = ''] of Object.entries(next)) {
    if (mine[key] === value) continue;
    keys.push({ key, ...(documented[key] === value ? { value } : {}), added: mine[key] === undefined });
  }
  return keys;
}

const show = ({ key, value }: KeyToCopy) => (value === undefined ? `${key} (value not shown)` : `${key}=${value}`);

/** The report's note for a kept secret file, e.g. "yours kept …; the new version adds AUTH_TOKEN_CACHE_SECONDS=60 …". */
export function describeKeysToCopy(path: string, keys: readonly KeyToCopy[]): string {
  const kept = 'yours kept as it is: it may hold secrets';
  if (keys.length === 0) return ` (${kept}; the new version adds no setting yours lacks)`;
  const added = keys.filter((key) => key.added).map(show);
  const differing = keys.filter((key) => !key.added).map(show);
  const parts = [
    ...(added.length > 0 ? [`adds ${added.join(', ')}`] : []),
    ...(differing.length > 0 ? [`sets ${differing.join(', ')} (yours has ${differing.length > 1 ? 'other values' : 'another value'})`] : []),
  ];
  return ` (${kept}; the new version ${parts.join(' and ')}: copy what you need, see ${exampleFileFor(path)})`;
}
