/** What every endpoint works with: the broker's parts, built once by createBroker (index.ts). */
import type { Clients } from '../clients.js';
import type { BrokerClock, BrokerLog, BrokerSecrets, BrokerStore, Upstream } from '../contracts.js';
import type { Grants } from '../grants.js';
import type { SigningKeys } from '../signing-keys.js';

export interface BrokerContext {
  /** The origin of MCP_SERVER_URL, no trailing slash: `iss` of tokens and of authorization responses. */
  issuer: string;
  /** MCP_SERVER_URL: the only `resource` (RFC 8707) tokens are issued for. */
  resource: URL;
  /** The MCP server's scopes: a client may ask for any subset, and gets all of them when it names none. */
  scopes: readonly string[];
  /** Client ID Metadata Documents are accepted (and advertised); otherwise only registered clients. */
  metadataDocuments: boolean;
  store: BrokerStore;
  secrets: BrokerSecrets;
  keys: SigningKeys;
  clients: Clients;
  grants: Grants;
  upstream: Upstream;
  now: BrokerClock;
  log: BrokerLog;
}
