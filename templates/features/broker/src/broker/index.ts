/**
 * The broker: this MCP server as the authorization server of its MCP clients, signing users in at the provider
 * with the one app registered there (see contracts.ts for the parts). `createBroker` builds the parts once and
 * answers the broker's paths with web-standard Request/Response, so Express, Hono and any runtime mount it the same way.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import { isLoopbackUrl } from '../auth/secure-url.js';
import { createClients } from './clients.js';
import { BrokerError, StoreUnavailableError, type Broker, type BrokerClock, type BrokerLog, type BrokerStore, type ProviderAccess, type Upstream } from './contracts.js';
import { handleAuthorize, handleConsent } from './endpoints/authorize.js';
import { handleCallback } from './endpoints/callback.js';
import { errorPage } from './endpoints/consent-page.js';
import type { BrokerContext } from './endpoints/context.js';
import { oauthErrorResponse, RETRY_AFTER_SECONDS } from './endpoints/errors.js';
import { corsHeaders, preflightResponse, withHeaders } from './endpoints/http.js';
import { jwksResponse } from './endpoints/jwks.js';
import { metadataResponse } from './endpoints/metadata.js';
import { BROKER_PATHS } from './endpoints/paths.js';
import { handleRegister } from './endpoints/register.js';
import { handleRevoke } from './endpoints/revoke.js';
import { handleToken } from './endpoints/token.js';
import { createGrants } from './grants.js';
import { deriveSecrets } from './secrets.js';
import { createSigningKeys } from './signing-keys.js';
import { openStore } from './store-from-config.js';
import { createUpstream, type UpstreamConfig } from './upstream/index.js';
import { createBrokerVerifier } from './verifier.js';

export type { Broker, ProviderAccess } from './contracts.js';

export interface BrokerConfig {
  /** AUTH_BROKER_SECRET: base64url of at least 32 random bytes. */
  secret: string;
  /** AUTH_BROKER_STATE_FILE: where the file store keeps state (none: memory only). */
  stateFile?: string;
  /** REDIS_URL: when set, the state lives in Redis (shared by replicas) and `stateFile` is ignored. */
  redisUrl?: string;
  upstream: UpstreamConfig;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export interface BrokerOptions {
  /** MCP_SERVER_URL: the resource tokens are for; its origin is the broker's issuer. */
  resource: URL;
  /** The MCP server's scopes. */
  scopes: readonly string[];
  config: BrokerConfig;
  log: BrokerLog;
  /** A store built by the caller; closed by the caller. Default: Redis (`config.redisUrl`) or the file store (`config.stateFile`). */
  store?: BrokerStore;
  /** Seconds since the epoch (tests move it). */
  now?: BrokerClock;
  /** For the provider's endpoints (tests). */
  fetch?: typeof fetch;
  upstream?: Upstream;
  /** DNS for CIMD hosts (tests). */
  resolveHost?: (host: string) => Promise<string[]>;
  /**
   * Accept Client ID Metadata Documents (default true). Off where the document's fetch cannot be pinned to the address
   * the address policy checked (a Worker: see cimd-fetch.ts): clients then register (RFC 7591) instead.
   */
  metadataDocuments?: boolean;
}

/** How often the signing key's age is checked; rotation itself happens when the key is old enough. */
const ROTATION_CHECK_MS = 24 * 3600 * 1000;

type Handler = (request: Request, context: BrokerContext) => Promise<Response>;
interface Route {
  methods: Record<string, Handler>;
  /** Called with fetch by browser-based clients: answers carry CORS headers and preflights are answered. */
  cors: boolean;
}

const ROUTES: Record<string, Route> = {
  [BROKER_PATHS.metadata]: { cors: true, methods: { GET: async (_request, c) => metadataResponse(c.issuer, c.scopes, c.metadataDocuments) } },
  [BROKER_PATHS.jwks]: { cors: true, methods: { GET: async (_request, c) => jwksResponse(c.keys) } },
  [BROKER_PATHS.register]: { cors: true, methods: { POST: handleRegister } },
  [BROKER_PATHS.token]: { cors: true, methods: { POST: handleToken } },
  [BROKER_PATHS.revoke]: { cors: true, methods: { POST: handleRevoke } },
  [BROKER_PATHS.authorize]: { cors: false, methods: { GET: handleAuthorize } },
  [BROKER_PATHS.consent]: { cors: false, methods: { POST: handleConsent } },
  [BROKER_PATHS.callback]: { cors: false, methods: { GET: handleCallback } },
};

/**
 * Builds the broker. Fails fast on a bad AUTH_BROKER_SECRET or an unusable provider configuration; the provider
 * itself is not contacted here (`checkUpstream` does, at start-up, without stopping the server).
 */
export async function createBroker(options: BrokerOptions): Promise<Broker> {
  const { resource, config, log } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const issuer = resource.origin;
  const callbackUrl = `${issuer}${BROKER_PATHS.callback}`;
  const secrets = await deriveSecrets(config.secret);
  const upstream = options.upstream ?? createUpstream(config.upstream, { callbackUrl, now, ...(options.fetch ? { fetch: options.fetch } : {}) });
  // Our own store (Redis when REDIS_URL is set, else the state file) is closed by close(); a given one by its owner.
  const ownStore = options.store ? undefined : await openStore({ ...optionalStoreSettings(config), now, log });
  const store = options.store ?? ownStore!;
  // Opening the signing key now stops a replica whose AUTH_BROKER_SECRET differs from the others' at start, with the
  // reason, rather than on its share of token requests. Our store is closed again: its connection would keep the process alive.
  const keys = await createSigningKeys({ store, secrets, now, accessTokenSeconds: config.accessTokenSeconds, log });
  await keys.current().catch(async (error: unknown) => {
    await ownStore?.close();
    throw error;
  });
  const grants = createGrants({ store, secrets, keys, issuer, resource, now, upstream, accessTokenSeconds: config.accessTokenSeconds, refreshTokenSeconds: config.refreshTokenSeconds });
  const metadataDocuments = options.metadataDocuments ?? true;
  const clients = createClients({
    store,
    now,
    metadataDocuments,
    // Development only: CIMD documents over http from loopback while the server itself is loopback http.
    allowLoopbackHttp: resource.protocol === 'http:' && isLoopbackUrl(resource),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  });
  const verifier = createBrokerVerifier({ keys, grants, store, issuer, resource, now });
  const context: BrokerContext = { issuer, resource, scopes: options.scopes, metadataDocuments, store, secrets, keys, clients, grants, upstream, now, log };
  const rotation = setInterval(() => void keys.rotateIfDue().catch((error: unknown) => log('broker: signing key rotation failed', error)), ROTATION_CHECK_MS);
  rotation.unref();

  return {
    issuer,
    callbackUrl,
    verifier,
    handle: (request) => route(request, context),
    checkUpstream: () => upstream.check(),
    async close() {
      clearInterval(rotation);
      await ownStore?.close();
    },
  };
}

/** exactOptionalPropertyTypes: absent settings stay absent rather than `undefined`. */
function optionalStoreSettings(config: BrokerConfig): { redisUrl?: string; stateFile?: string } {
  return { ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), ...(config.stateFile ? { stateFile: config.stateFile } : {}) };
}

async function route(request: Request, context: BrokerContext): Promise<Response | undefined> {
  const route = ROUTES[new URL(request.url).pathname];
  if (!route) return undefined;
  const cors = route.cors ? corsHeaders() : {};
  if (request.method === 'OPTIONS' && route.cors) return preflightResponse(Object.keys(route.methods));
  const handler = route.methods[request.method];
  if (!handler) {
    const allow = Object.keys(route.methods).join(', ');
    return new Response(null, { status: 405, headers: { ...cors, Allow: route.cors ? `${allow}, OPTIONS` : allow } });
  }
  try {
    return withHeaders(await handler(request, context), cors);
  } catch (error) {
    // JSON endpoints answer their own errors; what reaches here is a store outage or a bug (or a BrokerError on a page).
    if (route.cors) return withHeaders(oauthErrorResponse(error, { log: context.log }), cors);
    if (error instanceof BrokerError && error.code !== 'server_error' && error.code !== 'temporarily_unavailable') return errorPage('Request refused', error.message);
    if (error instanceof StoreUnavailableError) {
      context.log('broker: store unavailable', error);
      const page = errorPage('Try again shortly', 'The server cannot reach its storage right now.', 503);
      page.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return page;
    }
    context.log('broker: unexpected error', error);
    return errorPage('Something went wrong', 'The server could not complete this request.', 500);
  }
}

/** The provider's tokens of the caller, for a tool that calls the provider's API (undefined outside broker mode). */
export function providerAccessOf(auth: AuthInfo | undefined): ProviderAccess | undefined {
  const provider = (auth?.extra as { provider?: unknown } | undefined)?.provider;
  const looksRight = typeof provider === 'object' && provider !== null && typeof (provider as ProviderAccess).accessToken === 'function';
  return looksRight ? (provider as ProviderAccess) : undefined;
}
