import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { StartedServer } from './projects.js';

/**
 * What a client does by hand, without an SDK: register at the broker (RFC 7591) and build an authorization request
 * with PKCE S256 and the MCP server as `resource`; for the consent page tests that drive the browser alone.
 */
/** An authorization request with PKCE for a client registered by hand (these tests stop before the code is redeemed). */
export function authorizationUrl(server: StartedServer, clientId: string, redirectUri: string): URL {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${server.origin}/oauth/authorize`);
  const query = {
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'read',
    state: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: server.mcpUrl,
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

export async function register(server: StartedServer, clientName: string, redirectUri: string, applicationType: 'native' | 'web'): Promise<string> {
  const body = { client_name: clientName, redirect_uris: [redirectUri], application_type: applicationType, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
  const response = await fetch(`${server.origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}
