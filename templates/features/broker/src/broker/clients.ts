/**
 * Who a `client_id` is. Two kinds (MCP 2026-07-28 client registration):
 * - registered through Dynamic Client Registration (RFC 7591): a random id, stored as `client:<id>`, forgotten after
 *   30 days without use (each use pushes that back); the total and the hourly rate of registrations are capped, as
 *   registration is open to anyone;
 * - a Client ID Metadata Document: the id is an https URL, see cimd.ts.
 * Secrets (client_secret_basic / client_secret_post) are issued once and stored only as their SHA-256.
 */
import { createCimdResolver, isMetadataDocumentClientId } from './cimd.js';
import { resolveWithSystemDns } from './cimd-fetch.js';
import { constantTimeEqual, decodeBasicCredentials } from './client-credentials.js';
import { parseClientMetadata } from './client-metadata.js';
import { BrokerError, type BrokerClient, type BrokerClock, type BrokerStore } from './contracts.js';
import { hashKey, randomToken, storeKey } from './store.js';

export interface Clients {
  /** RFC 7591 registration: the 201 response body. BrokerError invalid_client_metadata | invalid_redirect_uri. */
  register(metadata: unknown): Promise<Record<string, unknown>>;
  /** A registered id, or a CIMD https URL (fetched, validated, cached); undefined only when no such client exists. */
  find(clientId: string): Promise<BrokerClient | undefined>;
  /** Checks the client's credentials at the token and revocation endpoints. BrokerError invalid_client. */
  authenticate(client: BrokerClient, credentials: { authorization?: string | null; clientSecret?: string }): Promise<void>;
}

export interface ClientsOptions {
  store: BrokerStore;
  now: BrokerClock;
  /** Client ID Metadata Documents are accepted (default true); off: a URL client id is an unknown client. */
  metadataDocuments?: boolean;
  /** Development (MCP_SERVER_URL is loopback http): CIMD documents may be fetched over http from loopback. */
  allowLoopbackHttp: boolean;
  /** Not used for CIMD documents: their fetch must pin the checked address, which `fetch` cannot (see cimd-fetch.ts). */
  fetch?: typeof fetch;
  /** All addresses of a host (default: the system resolver). */
  resolveHost?: (host: string) => Promise<string[]>;
  /** Registrations allowed per 30-day window (default 1000). */
  maxRegistrations?: number;
  /** Registrations allowed per hour (default 100). */
  maxRegistrationsPerHour?: number;
  /** CIMD fetch limits (see cimd.ts, cimd-fetch.ts) and extra trust anchors (tests). */
  cimd?: { timeoutMs?: number; maxBytes?: number; ca?: string; maxFetchesPerMinute?: number };
}

/** Registrations are refused for now: answered 429 with Retry-After by the register endpoint. */
export class RegistrationLimitError extends BrokerError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super('temporarily_unavailable', message);
  }
}

export const REGISTRATION_IDLE_SECONDS = 30 * 24 * 60 * 60;
/** A used registration's expiry is pushed back at most once a day: `find` runs on every request. */
const REFRESH_AFTER_SECONDS = 24 * 60 * 60;
const HOUR_SECONDS = 60 * 60;

interface RegisteredClientRecord {
  client: BrokerClient;
  /** The RFC 7591 response fields other than the credentials, returned as registered. */
  registeredMetadata: Record<string, unknown>;
  issuedAt: number;
  refreshedAt: number;
}

/** Builds the client registry over the broker's store. */
export function createClients(options: ClientsOptions): Clients {
  const { store, now } = options;
  const maxRegistrations = options.maxRegistrations ?? 1000;
  const maxPerHour = options.maxRegistrationsPerHour ?? 100;
  const resolveMetadataDocumentClient = createCimdResolver({
    store,
    now,
    allowLoopbackHttp: options.allowLoopbackHttp,
    resolveHost: options.resolveHost ?? resolveWithSystemDns,
    ...options.cimd,
  });

  async function countRegistration(): Promise<void> {
    const hour = Math.floor(now() / HOUR_SECONDS);
    if ((await store.increment(`clients:hour:${hour}`, HOUR_SECONDS)) > maxPerHour) {
      throw new RegistrationLimitError('too many client registrations this hour; try again later', (hour + 1) * HOUR_SECONDS - now());
    }
    // The window counter expires with the registrations it counted (30 days after the first), so the number of
    // live unused registrations stays near the cap without keeping a list of them.
    if ((await store.increment('clients:total', REGISTRATION_IDLE_SECONDS)) > maxRegistrations) {
      throw new RegistrationLimitError('the client registration limit is reached; try again later', HOUR_SECONDS);
    }
  }

  return {
    async register(input) {
      const metadata = parseClientMetadata(input, 'registration');
      await countRegistration();
      const clientId = randomToken(16);
      const issuedAt = now();
      const client: BrokerClient = {
        clientId,
        clientName: metadata.clientName ?? 'Unnamed client',
        redirectUris: metadata.redirectUris,
        kind: 'registered',
        tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
      };
      if (metadata.clientUri !== undefined) client.clientUri = metadata.clientUri;
      if (metadata.logoUri !== undefined) client.logoUri = metadata.logoUri;
      const registeredMetadata: Record<string, unknown> = {
        redirect_uris: metadata.redirectUris,
        application_type: metadata.applicationType,
        token_endpoint_auth_method: metadata.tokenEndpointAuthMethod,
        grant_types: metadata.grantTypes,
        response_types: metadata.responseTypes,
        ...(metadata.clientName === undefined ? {} : { client_name: metadata.clientName }),
        ...(metadata.clientUri === undefined ? {} : { client_uri: metadata.clientUri }),
        ...(metadata.logoUri === undefined ? {} : { logo_uri: metadata.logoUri }),
      };
      const credentials: Record<string, unknown> = { client_id: clientId, client_id_issued_at: issuedAt };
      if (metadata.tokenEndpointAuthMethod !== 'none') {
        const secret = randomToken(32);
        client.clientSecretHash = await hashKey(secret);
        credentials['client_secret'] = secret;
        credentials['client_secret_expires_at'] = 0; // never: the secret lives as long as the registration
      }
      const record: RegisteredClientRecord = { client, registeredMetadata, issuedAt, refreshedAt: issuedAt };
      await store.set(storeKey.client(clientId), record, REGISTRATION_IDLE_SECONDS);
      return { ...credentials, ...registeredMetadata };
    },

    async find(clientId) {
      if (isMetadataDocumentClientId(clientId)) return options.metadataDocuments === false ? undefined : resolveMetadataDocumentClient(clientId);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(clientId)) return undefined;
      const record = await store.get<RegisteredClientRecord>(storeKey.client(clientId));
      if (!record) return undefined;
      if (now() - record.refreshedAt >= REFRESH_AFTER_SECONDS) {
        await store.set(storeKey.client(clientId), { ...record, refreshedAt: now() }, REGISTRATION_IDLE_SECONDS);
      }
      return record.client;
    },

    async authenticate(client, credentials) {
      const refuse = (message: string): never => {
        throw new BrokerError('invalid_client', message);
      };
      let basic: { clientId: string; clientSecret: string } | undefined;
      try {
        basic = credentials.authorization ? decodeBasicCredentials(credentials.authorization) : undefined;
      } catch {
        return refuse('malformed Basic credentials');
      }
      const bodySecret = credentials.clientSecret;
      if (client.tokenEndpointAuthMethod === 'none') {
        if (basic || bodySecret !== undefined) refuse('this client is public: it must not send a client secret');
        return;
      }
      // RFC 6749 §2.3: one authentication method per request, and only the one registered.
      if (basic && bodySecret !== undefined) refuse('send the client secret once, in one place');
      const secret = client.tokenEndpointAuthMethod === 'client_secret_basic' ? basic?.clientSecret : bodySecret;
      if (secret === undefined) return refuse(`this client authenticates with ${client.tokenEndpointAuthMethod}`);
      if (basic && basic.clientId !== client.clientId) refuse('the Basic credentials name another client');
      const presentedHash = await hashKey(secret);
      if (!client.clientSecretHash || !constantTimeEqual(presentedHash, client.clientSecretHash)) refuse('wrong client secret');
    },
  };
}
