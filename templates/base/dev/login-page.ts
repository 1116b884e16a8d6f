/**
 * The one-click sign-in page of the development authorization server: plain HTML, no external
 * assets, every value HTML-escaped. The form posts back to the interaction URL with a CSRF token.
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
code{background:#f2f2f2;padding:0 .2rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><p class="banner" role="alert">${escapeHtml(BANNER)}</p>
${body}
</body></html>
`;
}

export function renderLoginPage(input: {
  action: string;
  csrf: string;
  users: readonly DevUser[];
  clientName: string;
  scopes: readonly string[];
  resource: string;
}): string {
  const buttons = input.users
    .map(
      (u) =>
        `<button type="submit" name="user" value="${escapeHtml(u.id)}"><strong>${escapeHtml(u.name)}</strong> ` +
        `<small>${escapeHtml(u.email)}</small></button>`,
    )
    .join('\n');
  const scopes = input.scopes.length ? input.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') : '(none)';
  return page(
    'Sign in (development)',
    `<h1>Sign in as a development user</h1>
<p class="meta"><strong>${escapeHtml(input.clientName)}</strong> asks for ${scopes} on <code>${escapeHtml(input.resource)}</code>.
Choosing a user signs in and approves.</p>
<form method="post" action="${escapeHtml(input.action)}" data-dev-login>
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
${buttons}
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
