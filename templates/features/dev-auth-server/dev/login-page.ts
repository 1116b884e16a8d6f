/**
 * The one-click sign-in page of the development authorization server, and the parts it shares with the
 * consent page (consent-page.ts): plain HTML, no external assets, every value HTML-escaped. Forms post back
 * to the interaction URL with a CSRF token.
 */

export interface DevUser {
  id: string;
  name: string;
  email: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BANNER = 'Development authorization server — never use in production';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}
.banner{background:#fff3cd;border:1px solid #e0b400;padding:.5rem .75rem;border-radius:.4rem;font-weight:600}
button{display:block;width:100%;text-align:left;margin:.5rem 0;padding:.75rem 1rem;font:inherit;cursor:pointer;
border:1px solid #888;border-radius:.4rem;background:#f7f7f7}
button:hover{background:#e8f0ff}
small,.meta{color:#555}
code{background:#f2f2f2;padding:0 .2rem;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:1rem 0}dt{color:#555}dd{margin:0}
.host{font-size:1.25rem;font-weight:700}
.notice{border-left:4px solid #2a7;padding:.25rem .75rem}
.warning{border-left:4px solid #c00;background:#fff0f0;padding:.5rem .75rem}
button.approve{background:#1f6feb;color:#fff;border-color:#1f6feb;font-weight:600}
button.approve:hover{background:#1859c4}
button.approve,button.deny{text-align:center}
code.id{font-size:.75rem}`;

/** A whole page around `body` (already HTML). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><p class="banner" role="alert">${escapeHtml(BANNER)}</p>
${body}
</body></html>
`;
}

/** What both pages tell about the authorization request. Every field but the scopes is set by the client. */
export interface AuthorizationRequestView {
  /** `client_name` from dynamic registration: chosen by whoever registered the client, so never proof of who it is. */
  clientName: string | undefined;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  resource: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the authorization code goes, in words: the redirect URI's host is the one fact a person can check, since
 * anyone can register a client with any name and any redirect URI (open registration).
 */
function describeDestination(redirectUri: string): string {
  const url = URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
    const host = `<span class="host">${escapeHtml(url.hostname)}</span>`;
    if (LOOPBACK_HOSTS.has(url.hostname)) {
      return `<p class="notice">The code stays on this computer: it is sent to ${host} (port ${escapeHtml(url.port || 'default')}).</p>`;
    }
    return `<p class="warning" role="alert">The authorization code will be sent to ${host}. Approve only if you started
this sign-in from an app you trust, and it lives at that address.</p>`;
  }
  const scheme = escapeHtml(url?.protocol ?? redirectUri);
  return `<p class="warning" role="alert">The authorization code will be handed to whichever app on this computer
handles <span class="host">${scheme}</span> links. Approve only if you started this sign-in from that app.</p>`;
}

export function describeRequest(request: AuthorizationRequestView): string {
  const name = request.clientName ? `<strong>${escapeHtml(request.clientName)}</strong>` : '<em>(no name given)</em>';
  const scopes = request.scopes.length ? request.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') : '(none)';
  const host = URL.canParse(request.redirectUri) ? new URL(request.redirectUri).host : '';
  return `<dl>
<dt>Client</dt><dd>${name} <small>(name chosen by the client)</small><br><small>client_id</small> <code class="id">${escapeHtml(request.clientId)}</code></dd>
<dt>Asks for</dt><dd>${scopes} on <code>${escapeHtml(request.resource)}</code></dd>
<dt>Sends the code to</dt><dd>${host ? `<span class="host">${escapeHtml(host)}</span><br>` : ''}<code>${escapeHtml(request.redirectUri)}</code></dd>
</dl>
${describeDestination(request.redirectUri)}`;
}

/** The Deny button of both pages: the interaction ends with `access_denied` sent to the client. */
export const DENY_BUTTON = '<button type="submit" name="deny" value="1" class="deny">Deny</button>';

/**
 * Shown when the browser has no session: choosing a user signs in AND approves this client, so the page
 * carries the same description of the request as the consent page, and a Deny button.
 */
export function renderLoginPage(input: { action: string; csrf: string; users: readonly DevUser[]; request: AuthorizationRequestView }): string {
  const buttons = input.users
    .map(
      (u) =>
        `<button type="submit" name="user" value="${escapeHtml(u.id)}"><strong>${escapeHtml(u.name)}</strong> ` +
        `<small>${escapeHtml(u.email)}</small></button>`,
    )
    .join('\n');
  return page(
    'Sign in (development)',
    `<h1>Sign in and approve</h1>
${describeRequest(input.request)}
<p class="meta">Choosing a user signs in as that user and approves this client.</p>
<form method="post" action="${escapeHtml(input.action)}" data-dev-login>
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
${buttons}
${DENY_BUTTON}
</form>`,
  );
}

export function renderErrorPage(message: string): string {
  return page('Sign-in error (development)', `<h1>Sign-in error</h1><p>${escapeHtml(message)}</p>
<p class="meta">Start the sign-in again from your MCP client.</p>`);
}

/** Headers for every page this server renders itself. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // `same-origin`, not `no-referrer`: with no-referrer browsers send `Origin: null` on the form POST.
  'referrer-policy': 'same-origin',
};
