import { existsSync } from 'node:fs';
import { z } from 'zod';
import { isLoopbackUrl, isSecureUrl, LOOPBACK_HOSTS } from './auth/secure-url.js';

/** An https URL (http only on loopback: the auth core's `isSecureUrl`); `why` says what is at stake if it is not. */
const absoluteUrl = (name: string, why?: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .refine((value) => URL.canParse(value), `${name} must be an absolute URL`)
    .transform((value) => new URL(value))
    .refine(isSecureUrl, `${name} must use https (http is only for localhost)${why ? `: ${why}` : ''}`)
    .refine((url) => !url.search && !url.hash, `${name} must not have a query or fragment`);

const EnvSchema = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  MCP_SERVER_URL: z.string().trim().optional(),
  AUTH_ISSUER: z.string({ error: 'AUTH_ISSUER is required (the issuer URL of your authorization server)' }).trim().min(1, 'AUTH_ISSUER is required'),
  AUTH_AUDIENCE: z.string().trim().optional(),
  /** Serve a copy of the provider's metadata at /.well-known/oauth-authorization-server for 2025-03-26 clients. */
  AUTH_SERVER_METADATA_MIRROR: z.enum(['0', '1', 'true', 'false']).default('1'),
  /** `jwt`: verify tokens locally with the JWKS; `opaque`: RFC 7662 introspection (the AUTH_INTROSPECTION_* below). */
  AUTH_TOKEN_FORMAT: z.enum(['jwt', 'opaque']).default('jwt'),
  /** Override the metadata's `introspection_endpoint` (https, or http on loopback: checked in `loadConfig`). */
  AUTH_INTROSPECTION_ENDPOINT: z.string().trim().optional(),
  /** Client credentials for introspection (HTTP Basic), or a bearer token (AUTH_INTROSPECTION_TOKEN) instead. */
  AUTH_INTROSPECTION_CLIENT_ID: z.string().trim().optional(),
  AUTH_INTROSPECTION_CLIENT_SECRET: z.string().optional(),
  AUTH_INTROSPECTION_TOKEN: z.string().trim().optional(),
  /**
   * Seconds an accepted token is reused before it is verified again (never past its `exp`; 0: every request). For
   * opaque tokens this is how long a token revoked at the provider keeps working.
   */
  AUTH_TOKEN_CACHE_SECONDS: z.coerce
    .number({ error: 'AUTH_TOKEN_CACHE_SECONDS must be a number of seconds' })
    .int('AUTH_TOKEN_CACHE_SECONDS must be a whole number of seconds')
    .min(0, 'AUTH_TOKEN_CACHE_SECONDS must be 0 or more')
    .max(3600, 'AUTH_TOKEN_CACHE_SECONDS must be at most 3600 (an hour)')
    .default(60),
  /** 1: accept tokens without `aud` (providers whose tokens are not audience-bound); `aud` is still checked when present. */
  AUTH_AUDIENCE_OPTIONAL: z.enum(['0', '1', 'true', 'false']).default('0'),
  /** Serve a corrected copy of the provider's metadata (adds PKCE S256) and name this origin as the authorization server. */
  AUTH_SERVER_METADATA_SHIM: z.enum(['0', '1', 'true', 'false']).default('0'),
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
  tokenFormat: 'jwt' | 'opaque';
  introspection: {
    endpoint?: string;
    credentials?: { clientId: string; clientSecret: string } | { bearerToken: string };
  };
  /** Seconds an accepted token is reused before it is verified again (AUTH_TOKEN_CACHE_SECONDS, default 60). */
  tokenCacheSeconds: number;
  /** See src/auth/metadata-shim.ts for what it does and its trade-off. */
  metadataShim: boolean;
  /** Accept tokens without `aud` (AUTH_AUDIENCE_OPTIONAL=1). */
  audienceOptional: boolean;
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
  const introspectionEndpoint = absoluteUrl('AUTH_INTROSPECTION_ENDPOINT', "it receives this server's credentials and users' tokens")
    .optional()
    .safeParse(raw.AUTH_INTROSPECTION_ENDPOINT);
  const problems = [mcpServerUrl, issuer, introspectionEndpoint].flatMap((result) => (result.success ? [] : result.error.issues));
  if (!mcpServerUrl.success || !issuer.success || !introspectionEndpoint.success) throw new ConfigError(formatIssues(problems));

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
    tokenFormat: raw.AUTH_TOKEN_FORMAT,
    introspection: {
      ...(raw.AUTH_INTROSPECTION_ENDPOINT ? { endpoint: raw.AUTH_INTROSPECTION_ENDPOINT } : {}),
      ...(raw.AUTH_INTROSPECTION_TOKEN
        ? { credentials: { bearerToken: raw.AUTH_INTROSPECTION_TOKEN } }
        : raw.AUTH_INTROSPECTION_CLIENT_ID
          ? { credentials: { clientId: raw.AUTH_INTROSPECTION_CLIENT_ID, clientSecret: raw.AUTH_INTROSPECTION_CLIENT_SECRET ?? '' } }
          : {}),
    },
    tokenCacheSeconds: raw.AUTH_TOKEN_CACHE_SECONDS,
    metadataShim: raw.AUTH_SERVER_METADATA_SHIM === '1' || raw.AUTH_SERVER_METADATA_SHIM === 'true',
    audienceOptional: raw.AUTH_AUDIENCE_OPTIONAL === '1' || raw.AUTH_AUDIENCE_OPTIONAL === 'true',
    allowedHosts: boundToLoopback ? [...LOOPBACK_HOSTS, publicHost] : isLoopbackUrl(mcpServerUrl.data) ? undefined : [publicHost],
    allowedOrigins: [...new Set([...LOOPBACK_HOSTS, publicHost, ...extraOrigins])],
  };
}

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return `invalid configuration:\n${issues.map((issue) => `  - ${issue.path.length ? `${String(issue.path[0])}: ` : ''}${issue.message}`).join('\n')}`;
}
