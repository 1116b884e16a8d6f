import { describe, expect, it } from 'vitest';
import { providerInputFlags, validateProviderInput } from '../../src/answers/provider-inputs.js';
import { MAX_DESCRIPTION_LENGTH, validateToolDescription } from '../../src/answers/tool.js';
import { MAX_AUDIENCE_LENGTH, validateAudience, validateIssuer, validateProjectName, validateScopes, validateTargetDir } from '../../src/answers/validate.js';

const auth0Domain = providerInputFlags.find(({ input }) => input.flag === 'auth0-domain')!.input;

/**
 * NUL and other control characters cannot come through argv (the OS refuses NUL there), but prompts and answers
 * files feed the same validators: every one of them refuses them with a message naming the input. The characters
 * themselves are tested once, in answers/user-text.test.ts; here each validator shows that it uses that check.
 */
describe('hostile characters in any answer', () => {
  const validators: [subject: string, validate: (raw: string) => unknown][] = [
    ['directory', validateTargetDir],
    ['project name', validateProjectName],
    ['scopes', validateScopes],
    ['issuer', (raw) => validateIssuer(`https://idp.example/${raw}`)],
    ['audience', validateAudience],
    ['tool description', validateToolDescription],
    ['--auth0-domain', (raw) => validateProviderInput(auth0Domain, raw)],
  ];
  /** Each character, the rule it breaks, and how the message shows it (escaped: the message carries none of them). */
  const characters: [char: string, rule: string, shown: string][] = [
    ['\0', 'must not contain control characters or line breaks', '\\u0000'],
    ['\x1b[31m', 'must not contain control characters or line breaks', '\\u001b[31m'],
    ['\u0085', 'must not contain control characters or line breaks', '\\u0085'],
    ['\r\n', 'must not contain control characters or line breaks', '\\r\\n'],
    ['\u202e', 'must not contain bidirectional control characters', '\\u202e'],
    ['\u2066', 'must not contain bidirectional control characters', '\\u2066'],
    ['\ud800', 'must be valid Unicode', '\\ud800'],
  ];
  it.each(validators.flatMap(([subject, validate]) => characters.map(([char, rule, shown]) => [subject, shown, rule, validate, char] as const)))(
    '%s with %s is refused: "%s"',
    (subject, shown, rule, validate, char) => {
      expect(() => validate(`a${char}b`)).toThrow(`${subject} ${rule} (got `);
      expect(() => validate(`a${char}b`)).toThrow(`a${shown}b"`);
    },
  );
});

describe('length bounds', () => {
  it.each([
    ['audience', validateAudience, MAX_AUDIENCE_LENGTH],
    ['tool description', validateToolDescription, MAX_DESCRIPTION_LENGTH],
  ] as const)('%s is refused past its bound with the bound and the length', (subject, validate, max) => {
    expect(validate('x'.repeat(max))).toBe('x'.repeat(max));
    expect(() => validate('x'.repeat(max + 1))).toThrow(`${subject} must be at most ${max} characters (got ${max + 1})`);
  });
});
