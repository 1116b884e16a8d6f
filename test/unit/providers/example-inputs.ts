import { validateProviderInput } from '../../../src/answers/provider-inputs.js';
import type { ProviderPreset } from '../../../src/providers/index.js';

/** The preset's inputs filled with the examples from its file (the first alternative of each). */
export function exampleInputs(preset: ProviderPreset): Record<string, string> {
  return Object.fromEntries(preset.inputs.map((input) => [input.id, validateProviderInput(input, input.example.split(' | ')[0]!.split(' (')[0]!)]));
}
