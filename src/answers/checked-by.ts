import type { z } from 'zod';
import { CliError } from '../errors.js';

/**
 * Runs one of our throwing validators inside a zod schema, so the answers file is checked by exactly the code that
 * checks flags and prompts, and its sentence becomes the zod issue message.
 */
export function checkedBy<T>(validate: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx) => {
    try {
      validate(value);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  };
}
