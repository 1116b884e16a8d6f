/**
 * The one check every piece of free text a user gives us passes (directory, project name, scopes, issuer,
 * audience, provider inputs, tool descriptions), whether it came from a flag, a prompt or the answers file.
 * Each caller then applies its own rules (URL, scope token, …) to text already known to be one clean line.
 */
import { CliError, quoteValue } from '../errors.js';
import { BIDI_CONTROL, CONTROL_CHARACTER, LONE_SURROGATE } from '../unicode.js';

export type UserTextProblem = 'control' | 'bidi' | 'surrogate' | 'length';

export interface UserTextRules {
  /** Longest accepted text, in UTF-16 code units (`string.length`); no bound when absent. */
  maxLength?: number;
}

/** What is wrong with `raw` as user text, or undefined when nothing is. Checked in this order. */
export function userTextProblem(raw: string, rules: UserTextRules = {}): UserTextProblem | undefined {
  if (CONTROL_CHARACTER.test(raw)) return 'control';
  if (BIDI_CONTROL.test(raw)) return 'bidi';
  if (LONE_SURROGATE.test(raw)) return 'surrogate';
  if (rules.maxLength !== undefined && raw.length > rules.maxLength) return 'length';
  return undefined;
}

/** The rule a problem breaks, as the end of a sentence that starts with the input's name. */
export function describeUserTextProblem(problem: UserTextProblem, rules: UserTextRules = {}): string {
  switch (problem) {
    case 'control':
      return 'must not contain control characters or line breaks';
    case 'bidi':
      return 'must not contain bidirectional control characters';
    case 'surrogate':
      return 'must be valid Unicode';
    case 'length':
      return `must be at most ${rules.maxLength} characters`;
  }
}

/**
 * Returns `raw` when it is clean user text; otherwise throws CliError('invalid_answer') with one sentence naming
 * the input: `audience must not contain control characters or line breaks (got "a\r\nb")`.
 */
export function checkUserText(subject: string, raw: string, rules: UserTextRules = {}): string {
  const problem = userTextProblem(raw, rules);
  if (problem === undefined) return raw;
  // A too-long value is not worth echoing: its length says more.
  const got = problem === 'length' ? String(raw.length) : quoteValue(raw);
  throw new CliError('invalid_answer', `${subject} ${describeUserTextProblem(problem, rules)} (got ${got})`);
}
