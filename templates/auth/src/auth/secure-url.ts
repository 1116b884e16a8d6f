/** Hostnames that only reach this machine: plain http to them never crosses a network. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** Whether the URL names this machine (`localhost`, `127.0.0.1`, `[::1]`). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.includes(url.hostname);
}

/**
 * The one rule for every URL this server is configured with or learns from the provider: https, or http on
 * loopback only (OAuth 2.1 §1.5). Anything else would send client secrets and users' tokens in clear (introspection)
 * or let a network attacker substitute signing keys (JWKS). Used by `config.ts` for the environment and by the
 * auth core for URLs taken from the provider's metadata.
 */
export function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url));
}
