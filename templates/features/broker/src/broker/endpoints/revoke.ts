/**
 * POST /oauth/revoke (RFC 7009): an authenticated client revokes one of its access or refresh tokens, which ends the
 * whole grant. An unknown, expired or foreign token is answered 200 like any other (§2.2: nothing to learn from it).
 */
import { authenticateClient, usesBasicAuth } from './client-auth.js';
import type { BrokerContext } from './context.js';
import { oauthErrorResponse } from './errors.js';
import { readForm, required } from './http.js';

export async function handleRevoke(request: Request, context: BrokerContext): Promise<Response> {
  try {
    const form = await readForm(request);
    const client = await authenticateClient(request, form, context.clients);
    await context.grants.revoke({ token: required(form, 'token'), clientId: client.clientId });
    return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return oauthErrorResponse(error, { basicAuth: usesBasicAuth(request), log: context.log });
  }
}
