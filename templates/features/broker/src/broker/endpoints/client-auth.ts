/**
 * Who is calling the token or revocation endpoint: the client named by HTTP Basic or by `client_id` in the body,
 * authenticated the way it registered (clients.authenticate: none, client_secret_basic, client_secret_post).
 */
import type { Clients } from '../clients.js';
import { BrokerError, type BrokerClient } from '../contracts.js';
import { single } from './http.js';

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function basicClientId(authorization: string | null): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  try {
    const decoded = atob(match[1]!);
    const colon = decoded.indexOf(':');
    return colon > 0 ? decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the request tried HTTP Basic: a refusal then answers 401 with `WWW-Authenticate: Basic`. */
export const usesBasicAuth = (request: Request): boolean => /^Basic\s/i.test(request.headers.get('authorization') ?? '');

export async function authenticateClient(request: Request, form: URLSearchParams, clients: Clients): Promise<BrokerClient> {
  const authorization = request.headers.get('authorization');
  const fromHeader = basicClientId(authorization);
  if (usesBasicAuth(request) && fromHeader === undefined) throw new BrokerError('invalid_client', 'Malformed Basic credentials.');
  const fromBody = single(form, 'client_id');
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw new BrokerError('invalid_client', 'The client_id of the body differs from the Basic credentials.');
  }
  const clientId = fromHeader ?? fromBody;
  if (clientId === undefined) throw new BrokerError('invalid_client', 'Client authentication is required (client_id).');
  let client: BrokerClient | undefined;
  try {
    client = await clients.find(clientId);
  } catch (error) {
    // A CIMD document that cannot be fetched or validated: to the token endpoint, an unknown client.
    if (error instanceof BrokerError && error.code !== 'temporarily_unavailable' && error.code !== 'server_error') throw new BrokerError('invalid_client', error.message, { cause: error });
    throw error;
  }
  if (!client) throw new BrokerError('invalid_client', 'Unknown client.');
  const clientSecret = single(form, 'client_secret');
  await clients.authenticate(client, { authorization, ...(clientSecret === undefined ? {} : { clientSecret }) });
  return client;
}
