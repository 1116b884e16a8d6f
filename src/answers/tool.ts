/**
 * Tools added with `create-mcp-auth-server add tool`, as recorded in the answers file so that `update` renders
 * them again. Pure: names, scopes and descriptions are validated here, the same way for flags and the answers file.
 */
import { z } from 'zod';
import { checkedBy } from './checked-by.js';
import { CliError, quoteValue } from '../errors.js';
import { checkUserText } from './user-text.js';
import { validateScopeList } from './validate.js';

/** MCP tool names: 1–64 characters of A–Z, a–z, 0–9, `_`, `-` and `.` (the MCP spec's SHOULD, enforced here). */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_DESCRIPTION_LENGTH = 500;

/** Tool names every generated project already has (src/tools/whoami.ts, add.ts, notes.ts). */
export const BUILTIN_TOOL_NAMES: readonly string[] = ['whoami', 'add', 'list_notes', 'add_note'];

function invalid(message: string): CliError {
  return new CliError('invalid_answer', message);
}

export function validateToolName(raw: string): string {
  if (!TOOL_NAME.test(raw)) {
    throw invalid(`tool name ${quoteValue(raw)} must be 1 to 64 characters of A-Z, a-z, 0-9, _, - and . (MCP tool-name rules)`);
  }
  if (!/[A-Za-z0-9]/.test(raw)) throw invalid(`tool name ${quoteValue(raw)} needs at least one letter or digit`);
  return raw;
}

export function validateToolDescription(raw: string): string {
  checkUserText('tool description', raw, { maxLength: MAX_DESCRIPTION_LENGTH });
  if (raw.trim() === '') throw invalid('tool description must not be empty');
  return raw;
}

/** `get_weather.v2` → file `get-weather-v2` (src/tools/get-weather-v2.ts): lowercase, so no two differ by case only. */
export function toolFileName(name: string): string {
  return name.toLowerCase().replace(/[._]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `get_weather.v2` → `getWeatherV2Tool`, the exported TypeScript name. */
export function toolIdentifier(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((word, i) => (i === 0 ? word[0]!.toLowerCase() : word[0]!.toUpperCase()) + word.slice(1)).join('');
  return `${/^[0-9]/.test(camel) ? '_' : ''}${camel}Tool`;
}

/** `get_weather.v2` → `Get weather v2`. */
export function toolTitle(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const toolSchema = z.strictObject({
  name: z.string().superRefine(checkedBy(validateToolName)),
  scopes: z.array(z.string()).superRefine(checkedBy(validateScopeList)),
  description: z.string().superRefine(checkedBy(validateToolDescription)),
});

export type ToolAnswer = z.infer<typeof toolSchema>;

/** Refuses a tool whose name, file or exported name clashes with a built-in, recorded or hand-written tool. */
export function checkToolIsNew(name: string, existing: { recorded: readonly ToolAnswer[]; handWritten: readonly string[] }): void {
  const taken = [...BUILTIN_TOOL_NAMES, ...existing.handWritten, ...existing.recorded.map((tool) => tool.name)];
  for (const other of taken) {
    if (other === name) throw invalid(`a tool named ${quoteValue(name)} already exists`);
    if (toolFileName(other) === toolFileName(name) || toolIdentifier(other) === toolIdentifier(name)) {
      throw invalid(`tool name ${quoteValue(name)} is too close to the existing tool ${quoteValue(other)} (same file or export name)`);
    }
  }
  if (['index', 'define-tool', 'added', 'notes'].includes(toolFileName(name))) {
    throw invalid(`tool name ${quoteValue(name)} would replace src/tools/${toolFileName(name)}.ts; choose another name`);
  }
}
