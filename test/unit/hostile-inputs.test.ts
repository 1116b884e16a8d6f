import { describe, expect, it } from 'vitest';
import { validateAudience, validateIssuer, validateProjectName, validateScopes, validateTargetDir } from '../../src/answers/validate.js';

/**
 * NUL and other control characters cannot come through argv (the OS refuses NUL there), but prompts and answers
 * files feed the same validators: every one of them refuses them with a message naming the input and showing the
 * value with the character escaped, so the message itself carries no control character to the terminal.
 */
describe('control characters in any answer', () => {
  /** Each answer as its messages name it, its validator, and what makes the rest of the value valid. */
  const answers = [
    { answer: 'directory', validate: validateTargetDir, prefix: '' },
    { answer: 'project name', validate: validateProjectName, prefix: '' },
    { answer: 'scopes', validate: validateScopes, prefix: '' },
    { answer: 'issuer', validate: validateIssuer, prefix: 'https://idp.example/' },
    { answer: 'audience', validate: validateAudience, prefix: '' },
  ];
  /** Each control character and how a message shows it. */
  const controls = [
    { char: '\0', shown: '\\u0000' },
    { char: '\x1b[31m', shown: '\\u001b[31m' },
    { char: '\u0085', shown: '\\u0085' },
    { char: '\r\n', shown: '\\r\\n' },
  ];
  it.each(answers.flatMap((answer) => controls.map((control) => ({ ...answer, ...control }))))(
    '$answer with $shown is refused by a message that names the answer and shows $shown',
    ({ answer, validate, prefix, char, shown }) => {
      expect(() => validate(`${prefix}a${char}b`)).toThrow(
        `${answer} must not contain control characters or line breaks (got "${prefix}a${shown}b")`,
      );
    },
  );
});
