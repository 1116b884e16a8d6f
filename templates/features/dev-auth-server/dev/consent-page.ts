/**
 * The consent page of the development authorization server: shown when the browser is already signed in and the
 * account has not approved this client yet, or the client redirects to loopback (RFC 8252 §8.6: asked every time). A session alone must not hand a code to a client nobody looked at,
 * since open dynamic registration lets anyone register one with any redirect URI (MCP Security Best Practices,
 * per-client consent). Approving is remembered by oidc-provider's grant for this account and client.
 */
import { DENY_BUTTON, describeRequest, escapeHtml, page, type AuthorizationRequestView, type DevUser } from './login-page.js';

/** Approve posts `user` (the approving account), as the sign-in page does, so one POST handler serves both pages. */
export function renderConsentPage(input: { action: string; csrf: string; account: DevUser; request: AuthorizationRequestView }): string {
  const { account } = input;
  return page(
    'Approve access (development)',
    `<h1>Approve this client?</h1>
<p class="meta">Signed in as <strong>${escapeHtml(account.name)}</strong> <small>(${escapeHtml(account.email)})</small>.
Check that you started this sign-in, from this client.</p>
${describeRequest(input.request)}
<form method="post" action="${escapeHtml(input.action)}" data-dev-consent>
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<button type="submit" name="user" value="${escapeHtml(account.id)}" class="approve">Approve as ${escapeHtml(account.name)}</button>
${DENY_BUTTON}
</form>`,
  );
}
