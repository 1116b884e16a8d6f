/**
 * One escaper per language a value can land in. Templates never print a raw value: `<%- esc.ts(x) %>` etc.
 * The answer validators already refuse hostile input; these are the second, independent guard.
 */
import { LONE_SURROGATE } from '../unicode.js';

/** Characters that JSON allows raw but that break out of (or confuse) the code around a literal. */
const UNSAFE_IN_LITERAL = /[<\u2028\u2029]/g;
const LITERAL_ESCAPES: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function hardenLiteral(json: string): string {
  // `<` → \u003c so `</script>` or `<!--` never appear literally; U+2028/9 are line terminators in older JS.
  return json.replace(UNSAFE_IN_LITERAL, (c) => LITERAL_ESCAPES[c] ?? c);
}

/** A double-quoted JS/TS string literal, safe anywhere in TypeScript source (including inside a template literal's `${}`). */
export function escapeTs(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`esc.ts expects a string, got ${typeof value}`);
  return hardenLiteral(JSON.stringify(value));
}

/**
 * JSON text for any JSON-serializable value, with the same hardening as `escapeTs`.
 * `space` indents like JSON.stringify's third argument (a whole generated package.json: `esc.json(pkg, 2)`).
 */
export function escapeJson(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space);
  if (json === undefined) throw new TypeError(`esc.json cannot serialize ${typeof value}`);
  return hardenLiteral(json);
}

function refuseLoneSurrogates(escaper: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw new Error(`${escaper}: value contains an unpaired surrogate (not valid Unicode)`);
}

/** Values a .env parser reads back unchanged without quotes (no spaces, `#`, quotes, `$` or backslashes). */
const ENV_PLAIN = /^[A-Za-z0-9_./:@%+,=~-]*$/;

/**
 * The right-hand side of a `.env` line, read back verbatim by `process.loadEnvFile`/`util.parseEnv` and dotenv:
 * plain when safe, else single quotes (literal in both parsers), else double quotes when the value has no `"` and no
 * backslash (double quotes expand `\n`). Newlines, carriage returns and NUL cannot be represented: throws.
 */
export function escapeEnv(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`esc.env expects a string, got ${typeof value}`);
  refuseLoneSurrogates('esc.env', value);
  if (/[\n\r\0]/.test(value)) throw new Error(`esc.env: a .env value cannot contain a newline, carriage return or NUL`);
  if (ENV_PLAIN.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !value.includes('\\')) return `"${value}"`;
  throw new Error(`esc.env: cannot quote a value that contains both ' and " or a backslash: ${JSON.stringify(value)}`);
}

/** Markdown punctuation that can start or end formatting, links, headings, tables or HTML. */
const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>]/g;

/** Text safe inside a Markdown paragraph or table cell: punctuation backslash-escaped, line breaks become spaces. */
export function escapeMd(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`esc.md expects a string, got ${typeof value}`);
  refuseLoneSurrogates('esc.md', value);
  return value.replace(MD_SPECIAL, (c) => `\\${c}`).replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

/**
 * A Markdown code span holding `value` verbatim (CommonMark §6.1): the fence is one backtick longer than the longest
 * backtick run inside, padded with spaces when the value starts or ends with a backtick; line breaks become spaces.
 */
export function escapeMdCode(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`esc.code expects a string, got ${typeof value}`);
  refuseLoneSurrogates('esc.code', value);
  const flat = value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

export interface Escapers {
  ts(value: string): string;
  json(value: unknown, space?: number): string;
  env(value: string): string;
  md(value: string): string;
  /** A Markdown code span. */
  code(value: string): string;
}

export const esc: Escapers = { ts: escapeTs, json: escapeJson, env: escapeEnv, md: escapeMd, code: escapeMdCode };
