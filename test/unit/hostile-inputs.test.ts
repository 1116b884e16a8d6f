import { describe, expect, it } from 'vitest';
import { validateAudience, validateIssuer, validateProjectName, validateScopes, validateTargetDir } from '../../src/answers/validate.js';

/**
 * NUL and other control characters cannot come through argv (the OS refuses NUL there), but prompts and answers
 * files feed the same validators: every one of them refuses them with a message naming the input.
 */
describe('control characters in any answer', () => {
  const validators = {
    directory: validateTargetDir,
    'project name': validateProjectName,
    scopes: validateScopes,
    issuer: (raw: string) => validateIssuer(`https://idp.example/${raw}`),
    audience: validateAudience,
  };
  it.each(Object.entries(validators).flatMap(([name, validate]) => ['\0', '\x1b[31m', '\u0085', '\r\n'].map((char) => [name, JSON.stringify(char), validate] as const)))(
    '%s with %s is refused',
    (_name, char, validate) => {
      expect(() => validate(`a${JSON.parse(char)}b`)).toThrow();
    },
  );
});
