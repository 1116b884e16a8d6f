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

const TIMEOUT_MS = 5000;

/** The metadata URLs MCP clients try, in their order (MCP 2025-11-25, authorization server discovery). */
export function clientProbeOrder(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const at = (wellKnown: string) => new URL(`${wellKnown}${path}`, url.origin).href;
  if (!path) return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration')];
  return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration'), new URL(`${path}/.well-known/openid-configuration`, url.origin).href];
}

async function getJson(doFetch: typeof fetch, url: string): Promise<{ status: number; json?: unknown; error?: string }> {
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
  if (!metadata) {
    const unreachable = tried.every((line) => / → [^\d]/.test(line));
    findings.push({
      status: 'fail',
      message: unreachable ? `the provider is unreachable at ${target.issuer}` : `no authorization server metadata for ${target.issuer}`,
      detail: `MCP clients try these, in order, and found nothing:\n${tried.join('\n')}\nCheck the issuer (copy it from the provider's discovery document).`,
    });
    return { findings };
  }
  findings.push({ status: 'pass', message: `metadata found at ${tried.at(-1)!.replace(/^\d+\. /, '').replace(/ → .*$/, '')} (${foundAt})`, ...(tried.length > 1 ? { detail: tried.join('\n') } : {}) });

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

  // 6. Resource indicators and audience: what the preset knows (metadata does not say).
  findings.push({ status: 'info', message: `RFC 8707 resource indicators at ${preset.label}: ${preset.resourceIndicators}; this server accepts aud ${target.audiences.map((a) => JSON.stringify(a)).join(' or ')}`, detail: preset.audience.howTo });

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
