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
  /** Key of the server in client configurations (the package name). */
  serverName: string;
  /** The install command, when dependencies are not installed yet. */
  installCommand?: string;
  devCommand: string;
  testCommand: string;
  mcpUrl: string;
  /** `dev` also starts the development authorization server (the `local` provider). */
  devAuthServer: boolean;
  /** Broker mode: the one app to register at the provider before the first sign-in. */
  broker?: { providerLabel: string; callbackUrl: string };
  /** How the project goes to production, when not by its Dockerfile (a Worker: `npm run deploy`). */
  deployCommand?: string;
}

/** One-line JSON for a configuration snippet, spaced for reading; every string goes through JSON.stringify. */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${inlineJson(item)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/**
 * The end-of-create summary: the commands to run, the exact MCP URL, and the configuration each common client
 * needs (MCP Inspector, Claude Desktop through `mcp-remote`, VS Code), then what else the project can do.
 */
export function formatNextSteps(input: NextStepsInput): string[] {
  const steps = [
    ...(input.displayDir === '.' ? [] : [`cd ${shellQuote(input.displayDir)}`]),
    ...(input.installCommand ? [input.installCommand] : []),
    input.devCommand,
  ];
  const claude = { mcpServers: { [input.serverName]: { command: 'npx', args: ['-y', 'mcp-remote', input.mcpUrl] } } };
  const vscode = { servers: { [input.serverName]: { type: 'http', url: input.mcpUrl } } };
  return [
    '',
    'Next steps:',
    ...steps.map((step) => `  ${step}`),
    ...(input.devAuthServer ? ['  (starts the development authorization server too: no identity-provider account needed)'] : []),
    ...(input.broker
      ? [
          '',
          `Before the first sign-in, register one app at ${input.broker.providerLabel} with the callback URL`,
          `  ${input.broker.callbackUrl}`,
          'and put its client id and secret into .env (AUTH_CLIENT_ID, AUTH_CLIENT_SECRET): README.md, "Sign-in through … (broker mode)".',
        ]
      : []),
    '',
    'MCP URL (use exactly this URL: localhost and 127.0.0.1 are different resources to a client):',
    `  ${input.mcpUrl}`,
    '',
    'Connect a client (each one runs the OAuth sign-in in your browser on first use):',
    // npx whatever the package manager: it ships with Node, and `pnpm exec`/`yarn` only run installed binaries.
    '  MCP Inspector   npx @modelcontextprotocol/inspector',
    '                  then Transport "Streamable HTTP", the URL above, Connect',
    '  Claude Desktop  in claude_desktop_config.json (through mcp-remote):',
    `                  ${inlineJson(claude)}`,
    '  VS Code         in .vscode/mcp.json:',
    `                  ${inlineJson(vscode)}`,
    '',
    `Also: ${input.testCommand} (every test, including the full OAuth flow), ${input.deployCommand ? `${input.deployCommand} for production` : 'Dockerfile for production'}, README.md for the rest.`,
  ];
}
