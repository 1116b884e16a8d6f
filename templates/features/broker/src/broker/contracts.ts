/**
 * The broker's parts and how they meet. The broker makes this MCP server the authorization server its MCP clients
 * talk to (on its own origin), and signs users in at the provider with the one app registered there. Each part lives
 * in its own file and depends only on the interfaces here:
 *
 *   store.ts            BrokerStore: every piece of state, with expiry (file-store.ts by default; redis-store.ts)
 *   secrets.ts          keys derived from AUTH_BROKER_SECRET: sealing at rest, signed cookies
 *   signing-keys.ts     the broker's ES256 keys: created on first start, rotated, published as a JWKS
 *   grants.ts           codes, grants, refresh-token families, access tokens (RFC 9068), revocation
 *   verifier.ts         the bearer gate's verifier for broker tokens (local keys, live grant)
 *   clients.ts          who a `client_id` is: registered (RFC 7591) or a metadata document (CIMD)
 *   upstream/*.ts       the provider: OpenID (discovery, ID token) or plain OAuth 2 (endpoints by hand, user API)
 *   endpoints/*.ts      metadata, register, authorize + consent, callback, token, revoke, jwks
 *   index.ts            createBroker: builds the parts and routes requests to the endpoints
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

/** Seconds since the epoch (the unit of `exp`); every part takes its clock from `BrokerClock`. */
export type BrokerClock = () => number;

/** Logs without ever printing a token or a secret (the same shape as start.ts's `Log`). */
export type BrokerLog = (message: string, error?: unknown) => void;

/**
 * All broker state sits behind this interface, so one process (file store) and several replicas (Redis) share the
 * same code. Values are JSON. Every key has an expiry: nothing is kept forever by accident. Implementations make
 * `take`, `add` and `increment` atomic: single use (codes, refresh tokens, provider `state`) rests on them.
 */
export interface BrokerStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Writes (or replaces) a value that expires after `ttlSeconds`. */
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Writes only when the key is absent; true when it did. */
  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /** Reads and deletes in one step: of two concurrent callers, exactly one gets the value. */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  /** Adds 1 and returns the new count; the expiry is set by the first increment (caps, rate limits, locks). */
  increment(key: string, ttlSeconds: number): Promise<number>;
  close(): Promise<void>;
}

/** Thrown by a store that cannot be reached (Redis down): answered 503 with Retry-After, never 500. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** Keys derived from AUTH_BROKER_SECRET (HKDF-SHA-256, one label per use). */
export interface BrokerSecrets {
  /** AES-256-GCM with the key id bound as associated data: upstream tokens and signing keys at rest. */
  seal(plaintext: string, context: string): Promise<string>;
  /** Undefined when the box was not sealed by this secret for this context. */
  open(box: string, context: string): Promise<string | undefined>;
  /** HMAC-SHA-256, base64url: consent cookies, browser binding. */
  sign(value: string): Promise<string>;
  verify(value: string, signature: string): Promise<boolean>;
}

/** A client as the authorization endpoint sees it, whichever way it got its `client_id`. */
export interface BrokerClient {
  clientId: string;
  /** Shown on the consent page; a CIMD client's comes from its document, a registered one's from registration. */
  clientName: string;
  /** Matched exactly (string equality) against the authorization request's `redirect_uri`. */
  redirectUris: readonly string[];
  /** 'cimd': `client_id` is the URL of its metadata document; 'registered': RFC 7591. */
  kind: 'cimd' | 'registered';
  /** `none` (public client, PKCE only) or `client_secret_basic` / `client_secret_post` (registered with a secret). */
  tokenEndpointAuthMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  /** SHA-256 (base64url) of the registered secret, when there is one. */
  clientSecretHash?: string;
  clientUri?: string;
  logoUri?: string;
}

/** What the provider hands back, kept server-side only (sealed at rest, never sent to an MCP client). */
export interface UpstreamTokens {
  accessToken: string;
  refreshToken?: string;
  /** Seconds since the epoch; absent when the provider's tokens do not expire (GitHub OAuth apps). */
  expiresAt?: number;
  scope?: string;
}

/** The user the provider vouched for. `subject` is the stable id: a verified ID token's `sub`, GitHub's numeric `id`. */
export interface UpstreamIdentity {
  subject: string;
  name?: string;
  email?: string;
}

/**
 * The provider, seen from the broker. Two implementations: `upstream/oidc.ts` (discovery, ID token verified against
 * the provider's JWKS with nonce) and `upstream/oauth2.ts` (endpoints by hand, the user read from a user API).
 */
export interface Upstream {
  /** The provider's authorization URL for one pending authorization (the broker's own client id, PKCE and state). */
  authorizationUrl(request: { state: string; codeChallenge: string; nonce: string }): Promise<URL>;
  /**
   * Exchanges the provider's code at its token endpoint (client authentication with AUTH_CLIENT_SECRET) and
   * identifies the user. `iss` is the callback's RFC 9207 parameter when the provider sent one.
   */
  exchangeCode(request: { code: string; codeVerifier: string; nonce: string; iss?: string }): Promise<{ identity: UpstreamIdentity; tokens: UpstreamTokens }>;
  /** A fresh access token from the provider's refresh token (providers may rotate it: keep what comes back). */
  refresh(refreshToken: string): Promise<UpstreamTokens>;
  /** Reaches the provider (metadata or endpoints): start-up and `doctor`. */
  check(): Promise<void>;
  /** Where the example tool reads the user's profile with the provider's token (userinfo, GitHub /user, Graph /me). */
  readonly profileUrl: string | undefined;
}

/**
 * A failure at the provider. `refused`: the provider said no (its OAuth error code is passed on to the MCP client,
 * e.g. access_denied); `unavailable`: it could not be reached or answered 5xx (temporarily_unavailable); `invalid`:
 * its answer broke the protocol (bad ID token, wrong issuer, missing user id) and is treated as server_error.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly kind: 'refused' | 'unavailable' | 'invalid',
    message: string,
    readonly oauthError?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The provider's tokens, as a tool reaches them through its caller (`providerAccessOf(auth)` in index.ts). */
export interface ProviderAccess {
  /** A provider access token that is not expired, refreshed (and stored again) when it was. */
  accessToken(): Promise<string>;
  /** The preset's profile endpoint (see `Upstream.profileUrl`). */
  readonly profileUrl: string | undefined;
}

/** The broker's OAuth errors, each answered with one status and RFC 6749 `error` code (endpoints/errors.ts). */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    readonly code:
      | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type'
      | 'invalid_scope' | 'invalid_target' | 'invalid_redirect_uri' | 'invalid_client_metadata' | 'access_denied'
      | 'server_error' | 'temporarily_unavailable',
    /** Safe to show: never a token, a secret or a stack. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What `createBroker` returns: everything start.ts and the HTTP layer use. */
export interface Broker {
  /** The broker's issuer: the origin of MCP_SERVER_URL (no trailing slash), named in the protected resource metadata. */
  readonly issuer: string;
  /** `<origin of MCP_SERVER_URL>/oauth/callback`: the one redirect URI to register at the provider. */
  readonly callbackUrl: string;
  /**
   * Answers a request for one of the broker's paths (metadata, jwks, register, authorize, consent, callback, token,
   * revoke), or `undefined` for any other path. Web-standard, so every framework and runtime mounts it the same way.
   * `request.url` must carry the public origin (MCP_SERVER_URL's), not the listening address.
   */
  handle(request: Request): Promise<Response | undefined>;
  /** Checks broker access tokens for the bearer gate; `extra.provider` carries the caller's ProviderAccess. */
  readonly verifier: { verifyAccessToken(token: string): Promise<AuthInfo> };
  /** Reaches the provider once (start-up warning, doctor). */
  checkUpstream(): Promise<void>;
  close(): Promise<void>;
}
