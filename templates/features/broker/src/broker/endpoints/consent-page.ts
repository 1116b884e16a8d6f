/**
 * The consent page (the confused-deputy defence of the MCP Security Best Practices: the user sees which client asks,
 * for what, and where the answer goes, before the broker sends them to the provider) and the error page shown when a
 * redirect back to the client is not safe. Every value is HTML-escaped; the pages load nothing and run no script.
 */
import type { BrokerClient } from '../contracts.js';
import { randomToken } from '../store.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Not frameable (clickjacking), not cached, no Referer (the page's URL holds the client's `state`). No `form-action`:
 * Chromium applies it to the redirects after the POST too, and the consent POST answers 302 to the provider or the
 * client, so a `form-action 'self'` would break Approve; the form is our own, fully escaped markup.
 */
function pageHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}.host{font-size:1.3rem;font-weight:700}.uri{color:#555;word-break:break-all}
.warning{background:#fff4ce;border:1px solid #e0b400;padding:.75rem;border-radius:6px}
button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.75rem;border-radius:6px;border:1px solid #888;cursor:pointer}
button[value=approve]{background:#1f6feb;color:#fff;border-color:#1f6feb}`;

function page(title: string, body: string, status: number, setCookies: readonly string[]): Response {
  const nonce = randomToken(16);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>${body}</body></html>`;
  const response = new Response(html, { status, headers: pageHeaders(nonce) });
  for (const cookie of setCookies) response.headers.append('Set-Cookie', cookie);
  return response;
}

export interface ConsentPageInput {
  client: BrokerClient;
  redirectUri: string;
  scopes: readonly string[];
  /** Every redirect URI of the client can be claimed by any program on the user's machine (loopback, custom scheme). */
  localOnly: boolean;
  /** The signed authorization request and its CSRF token: submitted back by the form. */
  request: string;
  csrf: string;
  /** `Set-Cookie` values to send with the page (the browser id the CSRF token is bound to). */
  setCookies: readonly string[];
}

/** Who the client says it is, and how far that can be believed: a CIMD client is vouched for by its host. */
function clientOrigin(client: BrokerClient): string {
  if (client.kind !== 'cimd') return 'registered client (its name is self-declared)';
  return `client metadata published at ${new URL(client.clientId).host}`;
}

function redirectTarget(redirectUri: string): { host: string; uri: string } {
  const url = URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
  return { host: url?.host || url?.protocol || redirectUri, uri: redirectUri };
}

export function consentPage(input: ConsentPageInput): Response {
  const name = escapeHtml(input.client.clientName);
  const target = redirectTarget(input.redirectUri);
  const scopes = input.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  const warning = input.localOnly
    ? `<p class="warning">This client only receives its answer on this computer (<code>${escapeHtml(target.host)}</code>): any program running on it could claim to be <strong>${name}</strong>. Approve only if you just started this sign-in yourself.</p>`
    : '';
  const body = `<h1>Allow <strong>${name}</strong> to access this MCP server?</h1>
<p>${escapeHtml(clientOrigin(input.client))}: <code>${escapeHtml(input.client.clientId)}</code></p>
<p>It asks for these permissions:</p><ul>${scopes}</ul>
<p>After you sign in, your answer is sent to</p><p class="host">${escapeHtml(target.host)}</p><p class="uri">${escapeHtml(target.uri)}</p>
${warning}
<form method="post" action="/oauth/consent">
<input type="hidden" name="request" value="${escapeHtml(input.request)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny">Deny</button>
</form>`;
  return page(`Allow ${input.client.clientName}?`, body, 200, input.setCookies);
}

/** A page for what cannot be sent back to the client: an unknown client, an unregistered redirect URI, a bad state. */
export function errorPage(title: string, message: string, status = 400, setCookies: readonly string[] = []): Response {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>You can close this window and start again from your application.</p>`, status, setCookies);
}
