/**
 * POST /oauth/token (OAuth 2.1 §3.2): the broker's own code for tokens (PKCE, client, redirect URI and resource
 * checked by grants.redeemCode), or a refresh token for new ones (rotated; a reused one revokes its family).
 * Errors are RFC 6749 §5.2 JSON (errors.ts).
 */
import { BrokerError } from '../contracts.js';
import { authenticateClient, usesBasicAuth } from './client-auth.js';
import type { BrokerContext } from './context.js';
import { jsonResponse, oauthErrorResponse } from './errors.js';
import { readForm, required, single } from './http.js';

export async function handleToken(request: Request, context: BrokerContext): Promise<Response> {
  try {
    const form = await readForm(request);
    const client = await authenticateClient(request, form, context.clients);
    const grantType = required(form, 'grant_type');
    const resource = single(form, 'resource');
    // RFC 8707 §2: a resource this server does not issue tokens for is invalid_target (the code stays unused).
    if (resource !== undefined && resource !== context.resource.href) throw new BrokerError('invalid_target', `This server only issues tokens for ${context.resource.href}.`);
    const withResource = resource === undefined ? {} : { resource };
    if (grantType === 'authorization_code') {
      const tokens = await context.grants.redeemCode({
        code: required(form, 'code'),
        clientId: client.clientId,
        redirectUri: required(form, 'redirect_uri'),
        codeVerifier: required(form, 'code_verifier'),
        ...withResource,
      });
      return jsonResponse(200, tokens);
    }
    if (grantType === 'refresh_token') {
      const scope = single(form, 'scope');
      const tokens = await context.grants.refresh({ refreshToken: required(form, 'refresh_token'), clientId: client.clientId, ...withResource, ...(scope === undefined ? {} : { scope }) });
      return jsonResponse(200, tokens);
    }
    throw new BrokerError('unsupported_grant_type', 'Only authorization_code and refresh_token are supported.');
  } catch (error) {
    return oauthErrorResponse(error, { basicAuth: usesBasicAuth(request), log: context.log });
  }
}
