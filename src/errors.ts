/**
 * Every failure the user can act on is a `CliError` with a stable code. Commands throw it; only `cli.ts` prints it
 * and turns it into an exit code, so the pipeline stays testable without a process.
 */

export type CliErrorCode =
  | 'invalid_argument' // unknown flag, missing flag value, extra positional argument
  | 'invalid_answer' // a value failed its validator
  | 'missing_answer' // non-interactive run without a required answer
  | 'target_not_empty' // target directory exists and is not empty (no --force)
  | 'would_overwrite' // --force, but a generated file already exists
  | 'unsafe_path' // a template produced a path outside the target directory
  | 'template_error' // a template failed to render (a generator bug, reported with the file name)
  | 'write_failed' // the file system refused; everything written was rolled back
  | 'install_failed' // the project is complete, the dependency install failed
  | 'invalid_answers_file' // .mcp-auth-server.json is missing, not JSON, or does not match the schema
  | 'dirty_tree' // update: the git work tree has uncommitted changes
  | 'unresolved_conflicts' // update: conflict markers or unmerged files are left from an earlier merge
  | 'cancelled'; // Ctrl-C in a prompt or SIGINT/SIGTERM while writing

/** Exit code for a cancelled run: 128 + SIGINT, what shells report for Ctrl-C. */
export const EXIT_CANCELLED = 130;

/** Marks a CliError from any copy of this module: each command is a bundle of its own with its own copy. */
const CLI_ERROR = Symbol.for('create-mcp-auth-server.CliError');

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly [CLI_ERROR] = true;

  /** `instanceof CliError` holds for errors thrown by dist/create.js or dist/update.js when cli.js checks them. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && CLI_ERROR in value;
  }

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** 130 for a cancelled run, 1 for everything else. */
  get exitCode(): number {
    return this.code === 'cancelled' ? EXIT_CANCELLED : 1;
  }
}

/**
 * What JSON.stringify leaves as it is but a terminal acts on or hides: DEL and the C1 controls (some terminals break
 * the line at U+0085), the Unicode line and paragraph separators, and the bidirectional controls that reorder the
 * rest of the line.
 */
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Quote a user-supplied value for an error message: control characters become visible escapes, long values are cut. */
export function quoteValue(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut).replace(UNESCAPED_BY_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
