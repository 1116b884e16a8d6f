import { z } from 'zod';
import { providerAccessOf } from '../broker/index.js';
import { UpstreamError } from '../broker/contracts.js';
import { READ_SCOPE } from '../scopes.js';
import { defineTool } from './define-tool.js';

/** A provider that does not answer within this long is reported as down, rather than holding the tool call. */
const PROFILE_TIMEOUT_MS = 10_000;
/** Profiles are small; a larger answer is not one. */
const MAX_PROFILE_BYTES = 256 * 1024;

/**
 * Calls the provider's API on the caller's behalf, with the provider's own token for this user (kept server-side by
 * the broker, refreshed when expired): never the token the MCP client sent, which is for this server only.
 */
export const providerProfile = defineTool({
  name: 'provider_profile',
  title: 'Provider profile',
  description: "Returns the signed-in user's profile as the identity provider has it, read with the provider's own token.",
  scopes: [READ_SCOPE],
  inputSchema: z.object({}),
  handler: async (_input, caller) => {
    const access = providerAccessOf(caller.auth);
    if (!access) return toolError('This session carries no provider access: sign in again through this server.');
    if (!access.profileUrl) return toolError('No profile URL is configured for this provider (AUTH_UPSTREAM_PROFILE_URL).');
    let token: string;
    try {
      token = await access.accessToken();
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'unavailable') return toolError('The provider is unreachable for now; try again shortly.');
      return toolError('The provider no longer grants access for this sign-in: sign in again through this server.');
    }
    let response: Response;
    try {
      response = await fetch(access.profileUrl, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'User-Agent': 'mcp-auth-server' },
        signal: AbortSignal.timeout(PROFILE_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch {
      return toolError('The provider is unreachable for now; try again shortly.');
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return toolError(`The provider refused the profile request (HTTP ${response.status}): sign in again, or grant the profile scope.`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      return toolError(`The provider answered HTTP ${response.status}; try again shortly.`);
    }
    const body = await response.text();
    const profile = body.length <= MAX_PROFILE_BYTES ? parseObject(body) : undefined;
    if (!profile) return toolError('The provider answered something that is not a JSON profile.');
    return { content: [{ type: 'text', text: JSON.stringify(profile, null, 2) }], structuredContent: profile };
  },
});

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toolError(message: string) {
  return { isError: true, content: [{ type: 'text' as const, text: message }] };
}
