/**
 * What `doctor` checks at the live provider, as functions from fetched documents to findings. Network access goes
 * through the `fetch` passed in, so tests point it at local servers.
 */
import type { Finding } from './findings.js';
import type { DoctorTarget } from './target.js';

export interface ProviderCheck {
  findings: Finding[];
  metadata?: Record<string, unknown>;
}

/** The members of a published JWK this check reads. */
interface Jwk {
  kty?: string;
  alg?: string;
  use?: string;
  crv?: string;
}

/** The algorithms a published key is for: its `alg`, else what its type and curve imply (RSA keys may also be PS*). */
function algorithmsOfKey(jwk: Jwk): string[] {
  if (typeof jwk.alg === 'string') return [jwk.alg];
  if (jwk.kty === 'RSA') return ['RS256', 'PS256'];
  if (jwk.kty === 'EC') return jwk.crv === 'P-384' ? ['ES384'] : jwk.crv === 'P-521' ? ['ES512'] : ['ES256'];
  if (jwk.kty === 'OKP') return ['EdDSA'];
  if (jwk.kty === 'oct') return ['HS256'];
  return [];
}

export const TIMEOUT_MS = 5000;

/** The metadata URLs MCP clients try, in their order (MCP 2025-11-25, authorization server discovery). */
export function clientProbeOrder(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const at = (wellKnown: string) => new URL(`${wellKnown}${path}`, url.origin).href;
  if (!path) return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration')];
  return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration'), new URL(`${path}/.well-known/openid-configuration`, url.origin).href];
}

/**
 * RFC 8414's other reading of an issuer with a path: the document under the issuer (`{issuer}/.well-known/…`), where
 * some providers serve it (Better Auth, under its base path). No MCP client tries it; doctor does, to say what is
 * missing instead of "no metadata". `undefined` for an issuer without a path (the two forms are the same URL).
 */
export function suffixMetadataUrl(issuer: string): string | undefined {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return path ? new URL(`${path}/.well-known/oauth-authorization-server`, url.origin).href : undefined;
}

export async function getJson(doFetch: typeof fetch, url: string): Promise<{ status: number; json?: unknown; error?: string }> {
  try {
    const response = await doFetch(url, { headers: { Accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    try {
      return { status: response.status, json: JSON.parse(text) as unknown };
    } catch {
      return { status: response.status };
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}

export async function checkProvider(target: DoctorTarget, doFetch: typeof fetch = fetch): Promise<ProviderCheck> {
  const findings: Finding[] = [];
  const { preset } = target;

  // 1. Metadata, found the way MCP clients look for it.
  const probes = clientProbeOrder(target.issuer);
  const tried: string[] = [];
  let metadata: Record<string, unknown> | undefined;
  let foundAt = '';
  for (const [index, url] of probes.entries()) {
    const answer = await getJson(doFetch, url);
    tried.push(`${index + 1}. ${url} → ${answer.status || answer.error}`);
    if (answer.status === 200 && answer.json && typeof answer.json === 'object') {
      metadata = answer.json as Record<string, unknown>;
      foundAt = `probe ${index + 1} of ${probes.length}`;
      break;
    }
  }
  const suffixUrl = metadata ? undefined : suffixMetadataUrl(target.issuer);
  const suffixAnswer = suffixUrl ? await getJson(doFetch, suffixUrl) : undefined;
  if (suffixUrl && suffixAnswer?.status === 200 && suffixAnswer.json && typeof suffixAnswer.json === 'object') {
    // Found one URL away: name the route to add, then check the document anyway, so every problem shows at once.
    metadata = suffixAnswer.json as Record<string, unknown>;
    findings.push({
      status: 'fail',
      message: `metadata found only at ${suffixUrl}, where no MCP client looks`,
      detail: [
        `MCP clients, and this server at start, try these, in order, and found nothing:\n${tried.join('\n')}`,
        `Serve the same document at ${probes[0]} (RFC 8414's path-inserted form).`,
        ...(preset.metadataRoute ? [preset.metadataRoute] : []),
      ].join('\n'),
    });
  } else if (!metadata) {
    const unreachable = tried.every((line) => / → [^\d]/.test(line));
    findings.push({
      status: 'fail',
      message: unreachable ? `the provider is unreachable at ${target.issuer}` : `no authorization server metadata for ${target.issuer}`,
      detail: `MCP clients try these, in order, and found nothing:\n${tried.join('\n')}\nCheck the issuer (copy it from the provider's discovery document).`,
    });
    return { findings };
  }
  else findings.push({ status: 'pass', message: `metadata found at ${tried.at(-1)!.replace(/^\d+\. /, '').replace(/ → .*$/, '')} (${foundAt})`, ...(tried.length > 1 ? { detail: tried.join('\n') } : {}) });

  // 2. Issuer: byte for byte (RFC 8414 §3.3); clients and this server compare it exactly.
  if (metadata['issuer'] === target.issuer) {
    findings.push({ status: 'pass', message: `issuer matches exactly: ${JSON.stringify(target.issuer)}` });
  } else {
    const published = JSON.stringify(metadata['issuer'] ?? null);
    const slash = typeof metadata['issuer'] === 'string' && metadata['issuer'].replace(/\/$/, '') === target.issuer.replace(/\/$/, '') ? ' (only the trailing slash differs: it still matters)' : '';
    findings.push({
      status: 'fail',
      message: `issuer mismatch: configured ${JSON.stringify(target.issuer)}, the provider says ${published}${slash}`,
      detail: 'Set AUTH_ISSUER to the provider\'s value exactly; MCP clients and this server refuse the metadata otherwise.',
    });
  }

  // 3. Endpoints MCP clients need.
  for (const field of ['authorization_endpoint', 'token_endpoint']) {
    if (typeof metadata[field] !== 'string') findings.push({ status: 'fail', message: `metadata has no ${field}` });
  }

  // 4. PKCE S256 advertised: 2025-11-25 clients MUST refuse an authorization server without it.
  const methods = metadata['code_challenge_methods_supported'];
  if (Array.isArray(methods) && methods.includes('S256')) {
    findings.push({ status: 'pass', message: 'PKCE S256 advertised (code_challenge_methods_supported)' });
  } else if (target.metadataShim) {
    findings.push({
      status: 'warn',
      message: 'PKCE S256 not advertised by the provider; the metadata shim (AUTH_SERVER_METADATA_SHIM=1) adds it',
      detail: 'This server serves the corrected metadata and names itself as the authorization server (see src/auth/metadata-shim.ts).',
    });
  } else {
    findings.push({
      status: 'fail',
      message: Array.isArray(methods) ? `PKCE S256 not among code_challenge_methods_supported (${methods.join(', ')})` : 'metadata omits code_challenge_methods_supported',
      detail: 'Strict MCP clients (2025-11-25 spec, Claude, the C# SDK) refuse this provider. Set AUTH_SERVER_METADATA_SHIM=1 to serve a corrected copy.',
    });
  }

  // 5. How MCP clients get a client id.
  const dcr = typeof metadata['registration_endpoint'] === 'string';
  const cimd = metadata['client_id_metadata_document_supported'] === true;
  if (dcr || cimd) {
    findings.push({ status: 'pass', message: `clients can register: ${[dcr ? 'dynamic client registration' : '', cimd ? 'Client ID Metadata Documents' : ''].filter(Boolean).join(' and ')}` });
  } else {
    findings.push({
      status: 'warn',
      message: 'no registration_endpoint and no Client ID Metadata Documents',
      detail: `MCP clients need a client id registered in advance and configured in the client. ${preset.registration.note}.`,
    });
  }

  // 6. Resource indicators and audience: what the preset knows (metadata does not say), and where the provider links
  // resources to clients one by one, whether a registered client may ask for this server.
  findings.push({ status: 'info', message: `RFC 8707 resource indicators at ${preset.label}: ${preset.resourceIndicators}; this server accepts aud ${target.audiences.map((a) => JSON.stringify(a)).join(' or ')}`, detail: preset.audience.howTo });
  if (preset.audience.perClient && dcr) findings.push(await checkRegisteredClientResource(target, metadata, preset.audience.perClient, doFetch));

  // 7. Scopes the tools need, when the provider lists what it supports.
  const supported = metadata['scopes_supported'];
  if (Array.isArray(supported)) {
    const missing = target.scopes.filter((scope) => !supported.includes(scope));
    if (missing.length > 0) {
      findings.push({ status: 'warn', message: `scopes_supported does not list ${missing.join(', ')}`, detail: 'Define these scopes in the provider, or clients cannot ask for them.' });
    }
  }

  // 8. Token verification: the JWKS, or introspection.
  if (target.tokenFormat === 'jwt') {
    const jwksUri = metadata['jwks_uri'];
    if (typeof jwksUri !== 'string') {
      findings.push({ status: 'fail', message: 'metadata has no jwks_uri: JWT access tokens cannot be verified', detail: 'Use AUTH_TOKEN_FORMAT=opaque with introspection, or a provider that publishes its keys.' });
    } else {
      const answer = await getJson(doFetch, jwksUri);
      const list = (answer.json as { keys?: unknown } | undefined)?.keys;
      if (answer.status !== 200 || !Array.isArray(list)) {
        findings.push({ status: 'fail', message: `JWKS unreachable: ${jwksUri} → ${answer.status || answer.error}${answer.status === 200 ? ' (not a JWKS)' : ''}`, detail: 'Every token check needs it: requests get 503 until it answers.' });
      } else {
        const keys = (list as Jwk[]).filter((key) => key && typeof key === 'object' && key.use !== 'enc');
        const algs = [...new Set(keys.flatMap(algorithmsOfKey))];
        const usable = algs.filter((alg) => target.rules.algorithms.includes(alg));
        if (keys.length === 0 || algs.every((alg) => alg.startsWith('HS'))) {
          findings.push({ status: 'fail', message: `JWKS ${jwksUri} publishes no public signing keys`, detail: `The provider signs with a shared secret (HS256), which no resource server can verify: ${preset.sharedSecretFix}.` });
        } else if (usable.length === 0) {
          findings.push({ status: 'fail', message: `JWKS keys are for ${algs.join(', ')}, none of which this project accepts (${target.rules.algorithms.join(', ')})` });
        } else {
          findings.push({ status: 'pass', message: `JWKS reachable: ${keys.length} key(s), algorithms ${algs.join(', ')}` });
        }
      }
    }
  } else {
    const endpoint = target.introspection.endpoint ?? (preset.token.introspection === 'google-tokeninfo' ? 'https://oauth2.googleapis.com/tokeninfo' : metadata['introspection_endpoint']);
    if (typeof endpoint !== 'string') {
      findings.push({ status: 'fail', message: 'opaque tokens, but no introspection endpoint (metadata introspection_endpoint or AUTH_INTROSPECTION_ENDPOINT)' });
    } else {
      findings.push({ status: 'pass', message: `opaque tokens are introspected at ${endpoint}` });
      if (!target.introspection.hasCredentials && preset.token.introspection !== 'google-tokeninfo') {
        findings.push({ status: 'warn', message: 'no introspection credentials: set AUTH_INTROSPECTION_CLIENT_ID and _SECRET (or AUTH_INTROSPECTION_TOKEN)', detail: 'Most providers refuse anonymous introspection.' });
      }
    }
  }
  return { findings, metadata };
}

/** Where the probe's authorization is sent: a loopback port nothing answers on (the redirect is read, not followed). */
const PROBE_REDIRECT_URI = 'http://127.0.0.1:9/doctor-probe';

/**
 * Registers a client as an MCP client would (open dynamic registration) and sends an authorization request for the
 * MCP server URL as `resource`, without following it. A provider that checks the resource before sign-in (Better
 * Auth) redirects back with `invalid_target` when registered clients are not linked to it; one that shows its
 * sign-in page has accepted the request this far.
 */
export async function checkRegisteredClientResource(target: DoctorTarget, metadata: Record<string, unknown>, perClient: string, doFetch: typeof fetch): Promise<Finding> {
  const resource = target.mcpUrl;
  const notChecked = (why: string): Finding => ({ status: 'info', message: `whether registered clients may ask for ${resource} was not checked: ${why}`, detail: perClient });
  let clientId: unknown;
  try {
    const registration = await doFetch(String(metadata['registration_endpoint']), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_name: 'create-mcp-auth-server doctor (probe, safe to delete)', redirect_uris: [PROBE_REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    clientId = registration.ok ? ((await registration.json()) as { client_id?: unknown }).client_id : undefined;
    if (typeof clientId !== 'string') return notChecked(`registration answered ${registration.status}`);
  } catch (error) {
    return notChecked(`registration failed (${(error as Error).message})`);
  }
  const url = new URL(String(metadata['authorization_endpoint']));
  const challenge = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const query = { client_id: clientId, redirect_uri: PROBE_REDIRECT_URI, response_type: 'code', state: 'doctor', code_challenge: challenge, code_challenge_method: 'S256', resource, ...(target.scopes.length ? { scope: target.scopes.join(' ') } : {}) };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  let location: string | undefined;
  try {
    const answer = await doFetch(url, { headers: { accept: 'text/html' }, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    // A redirect, or (Better Auth, to a request that is not a browser navigation) `{ "redirect": true, "url": … }`.
    const body = answer.headers.get('content-type')?.includes('json') ? ((await answer.json().catch(() => ({}))) as { url?: unknown }) : {};
    location = answer.headers.get('location') ?? (typeof body.url === 'string' ? body.url : undefined);
  } catch (error) {
    return notChecked(`the authorization endpoint failed (${(error as Error).message})`);
  }
  const probe = `(doctor registered the probe client ${JSON.stringify(clientId)} to check this; it is safe to delete)`;
  const back = location && location.startsWith(`${PROBE_REDIRECT_URI}?`) ? new URL(location).searchParams : undefined;
  const error = back?.get('error');
  if (error === 'invalid_target') {
    return { status: 'fail', message: `registered clients may not ask for ${resource}: invalid_target`, detail: [back?.get('error_description'), perClient, probe].filter(Boolean).join('\n') };
  }
  if (error) return { status: 'warn', message: `a registered client's authorization request for ${resource} was refused: ${error}`, detail: [back?.get('error_description'), probe].filter(Boolean).join('\n') };
  return { status: 'pass', message: `registered clients may ask for ${resource} (a probe client's authorization request reached sign-in)`, detail: probe };
}

/**
 * For a project with the escape hatch (AUTH_METADATA_URL or AUTH_JWKS_URI, `--metadata-url` / `--jwks-uri`): the URL
 * it is given instead of discovery answers, the metadata there names the configured issuer byte for byte, and the
 * JWKS serves public keys for an algorithm the project accepts. Used by `doctor` in place of `checkProvider`.
 */
export async function checkManualDiscovery(target: DoctorTarget, doFetch: typeof fetch = fetch): Promise<ProviderCheck> {
  const findings: Finding[] = [];
  const given = target.manualDiscovery;
  if (!given) return { findings };
  let jwksUri = given.jwksUri;
  let metadata: Record<string, unknown> | undefined;
  if (given.metadataUrl !== undefined) {
    const answer = await getJson(doFetch, given.metadataUrl);
    if (answer.status !== 200 || !answer.json || typeof answer.json !== 'object') {
      findings.push({ status: 'fail', message: `no metadata at AUTH_METADATA_URL ${given.metadataUrl} → ${answer.status || answer.error}`, detail: 'The server answers 503 until it does; check the URL in the provider\'s documentation.' });
      return { findings };
    }
    metadata = answer.json as Record<string, unknown>;
    findings.push({ status: 'pass', message: `metadata found at AUTH_METADATA_URL ${given.metadataUrl}` });
    if (metadata['issuer'] === target.issuer) findings.push({ status: 'pass', message: `issuer matches exactly: ${JSON.stringify(target.issuer)}` });
    else findings.push({ status: 'fail', message: `issuer mismatch: configured ${JSON.stringify(target.issuer)}, ${given.metadataUrl} says ${JSON.stringify(metadata['issuer'] ?? null)}`, detail: 'Set AUTH_ISSUER to the document\'s value exactly; the server refuses the metadata otherwise.' });
    jwksUri = typeof metadata['jwks_uri'] === 'string' ? metadata['jwks_uri'] : undefined;
    if (jwksUri === undefined && target.tokenFormat === 'jwt') {
      findings.push({ status: 'fail', message: 'the metadata has no jwks_uri: JWT access tokens cannot be verified' });
      return { findings, metadata };
    }
  } else {
    findings.push({ status: 'info', message: `no provider metadata (AUTH_JWKS_URI): tokens are checked against ${jwksUri} and the issuer ${JSON.stringify(target.issuer)}`, detail: 'MCP clients cannot discover the provider\'s endpoints from this server; give them the provider\'s endpoints some other way.' });
  }
  if (jwksUri === undefined || target.tokenFormat !== 'jwt') return { findings, ...(metadata ? { metadata } : {}) };
  const answer = await getJson(doFetch, jwksUri);
  const list = (answer.json as { keys?: unknown } | undefined)?.keys;
  if (answer.status !== 200 || !Array.isArray(list)) {
    findings.push({ status: 'fail', message: `JWKS unreachable: ${jwksUri} → ${answer.status || answer.error}${answer.status === 200 ? ' (not a JWKS)' : ''}`, detail: 'Every token check needs it: requests get 503 until it answers.' });
  } else {
    const keys = (list as Jwk[]).filter((key) => key && typeof key === 'object' && key.use !== 'enc');
    const algs = [...new Set(keys.flatMap(algorithmsOfKey))];
    if (!algs.some((alg) => target.rules.algorithms.includes(alg))) {
      findings.push({ status: 'fail', message: `JWKS ${jwksUri} serves no public key for an algorithm this project accepts (${target.rules.algorithms.join(', ')})${algs.length ? `; it has ${algs.join(', ')}` : ''}` });
    } else {
      findings.push({ status: 'pass', message: `JWKS reachable: ${keys.length} key(s), algorithms ${algs.join(', ')}` });
    }
  }
  return { findings, ...(metadata ? { metadata } : {}) };
}
