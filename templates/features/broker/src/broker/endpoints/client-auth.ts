/**
 * Who is calling the token or revocation endpoint: the client named by HTTP Basic or by `client_id` in the body,
 * authenticated the way it registered (clients.authenticate: none, client_secret_basic, client_secret_post).
 */
import type { Clients } from '../clients.js';
import { decodeBasicCredentials } from '../client-credentials.js';
import { BrokerError, type BrokerClient } from '../contracts.js';
import { single } from './http.js';

/** The client id of `Authorization: Basic` (RFC 6749 §2.3.1); undefined when it is not Basic, throws when malformed. */
function basicClientId(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;
  try {
    return decodeBasicCredentials(authorization)?.clientId;
  } catch {
    throw new BrokerError('invalid_client', 'Malformed Basic credentials.');
  }
}

/** Whether the request tried HTTP Basic: a refusal then answers 401 with `WWW-Authenticate: Basic`. */
export const usesBasicAuth = (request: Request): boolean => /^Basic\s/i.test(request.headers.get('authorization') ?? '');

export async function authenticateClient(request: Request, form: URLSearchParams, clients: Clients): Promise<BrokerClient> {
  const authorization = request.headers.get('authorization');
  const fromHeader = basicClientId(authorization);
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
