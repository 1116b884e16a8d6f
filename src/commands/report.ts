/** What `create` prints: the dry-run listing and the next steps. Pure: strings in, lines out. */
import type { ProjectFiles } from '../render/render.js';

/** A path the user can paste into a POSIX shell. */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

export function formatDryRun(files: ProjectFiles, displayDir: string): string[] {
  const sizes = [...files]
    .map(([path, contents]) => ({ path, bytes: Buffer.byteLength(contents) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const total = sizes.reduce((sum, file) => sum + file.bytes, 0);
  const width = Math.max(...sizes.map((file) => formatSize(file.bytes).length));
  return [
    `Dry run: would write ${sizes.length} files (${formatSize(total)}) to ${displayDir}; nothing was written.`,
    ...sizes.map((file) => `  ${formatSize(file.bytes).padStart(width)}  ${file.path}`),
  ];
}

export interface NextStepsInput {
  displayDir: string;
  /** The install command, when dependencies are not installed yet. */
  installCommand?: string;
  devCommand: string;
  mcpUrl: string;
}

export function formatNextSteps(input: NextStepsInput): string[] {
  const steps = [
    ...(input.displayDir === '.' ? [] : [`cd ${shellQuote(input.displayDir)}`]),
    ...(input.installCommand ? [input.installCommand] : []),
    input.devCommand,
  ];
  return [
    '',
    'Next steps:',
    ...steps.map((step) => `  ${step}`),
    '',
    'Then add this URL to your MCP client (exactly this URL: localhost and 127.0.0.1 are different resources):',
    `  ${input.mcpUrl}`,
  ];
}
