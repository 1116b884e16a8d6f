import { z } from 'zod';
import { READ_SCOPE } from '../scopes.js';
import { defineTool } from './define-tool.js';

/** Shows what the server knows about the caller: proof that auth info reaches tool handlers. */
export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description: 'Returns the identity behind the access token: subject, client, scopes, issuer and expiry.',
  scopes: [READ_SCOPE],
  inputSchema: z.object({}),
  handler: (_input, caller) => {
    const claims = (caller.auth.extra?.['claims'] ?? {}) as Record<string, unknown>;
    const identity = {
      subject: caller.subject,
      clientId: caller.clientId,
      scopes: caller.scopes,
      issuer: claims['iss'],
      expiresAt: caller.auth.expiresAt ? new Date(caller.auth.expiresAt * 1000).toISOString() : undefined,
      ...(typeof claims['name'] === 'string' ? { name: claims['name'] } : {}),
      ...(typeof claims['email'] === 'string' ? { email: claims['email'] } : {}),
    };
    return { content: [{ type: 'text', text: JSON.stringify(identity, null, 2) }], structuredContent: identity };
  },
});
