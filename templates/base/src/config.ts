import { existsSync } from 'node:fs';
import { z } from 'zod';

/** Hostnames a browser can only reach from this machine: Host and Origin checks guard them (DNS rebinding). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

const isLoopback = (url: URL) => LOOPBACK_HOSTS.includes(url.hostname);

const absoluteUrl = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .refine((value) => URL.canParse(value), `${name} must be an absolute URL`)
    .transform((value) => new URL(value))
    .refine((url) => url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url)), `${name} must use https (http is only for localhost)`)
    .refine((url) => !url.search && !url.hash, `${name} must not have a query or fragment`);

const EnvSchema = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  MCP_SERVER_URL: z.string().trim().optional(),
  AUTH_ISSUER: z.string({ error: 'AUTH_ISSUER is required (the issuer URL of your authorization server)' }).trim().min(1, 'AUTH_ISSUER is required'),
  AUTH_AUDIENCE: z.string().trim().optional(),
  /** Serve a copy of the provider's metadata at /.well-known/oauth-authorization-server for 2025-03-26 clients. */
  AUTH_SERVER_METADATA_MIRROR: z.enum(['0', '1', 'true', 'false']).default('1'),
  /** Extra hostnames allowed in Origin (comma-separated), e.g. a browser extension id. */
  ALLOWED_ORIGINS: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  /** The public URL of the MCP endpoint: the resource id in the metadata and the default audience. */
  mcpServerUrl: URL;
  /** The issuer string exactly as configured: compared byte for byte with the provider's. */
  issuer: string;
  audience: string;
  mirrorAuthServerMetadata: boolean;
  /** Hostnames accepted in Host; undefined = no Host check (bound to all interfaces without a public hostname). */
  allowedHosts: string[] | undefined;
  /** Hostnames accepted in Origin. */
  allowedOrigins: string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads `.env` (values already in the environment win) without adding a dependency. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Validates the environment once at start; every problem is listed in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues));
  const raw = parsed.data;
  const mcpServerUrl = absoluteUrl('MCP_SERVER_URL').safeParse(raw.MCP_SERVER_URL ?? `http://localhost:${raw.PORT}/mcp`);
  const issuer = absoluteUrl('AUTH_ISSUER').safeParse(raw.AUTH_ISSUER);
  const problems = [mcpServerUrl, issuer].flatMap((result) => (result.success ? [] : result.error.issues));
  if (!mcpServerUrl.success || !issuer.success) throw new ConfigError(formatIssues(problems));

  const publicHost = mcpServerUrl.data.hostname;
  const boundToLoopback = LOOPBACK_HOSTS.includes(raw.HOST);
  const extraOrigins = (raw.ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  return {
    port: raw.PORT,
    host: raw.HOST,
    mcpServerUrl: mcpServerUrl.data,
    issuer: raw.AUTH_ISSUER,
    audience: raw.AUTH_AUDIENCE ?? mcpServerUrl.data.href,
    mirrorAuthServerMetadata: raw.AUTH_SERVER_METADATA_MIRROR === '1' || raw.AUTH_SERVER_METADATA_MIRROR === 'true',
    allowedHosts: boundToLoopback ? [...LOOPBACK_HOSTS, publicHost] : isLoopback(mcpServerUrl.data) ? undefined : [publicHost],
    allowedOrigins: [...new Set([...LOOPBACK_HOSTS, publicHost, ...extraOrigins])],
  };
}

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return `invalid configuration:\n${issues.map((issue) => `  - ${issue.path.length ? `${String(issue.path[0])}: ` : ''}${issue.message}`).join('\n')}`;
}
