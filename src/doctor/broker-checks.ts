/**
 * What `doctor` checks for a broker project (the server is the authorization server its MCP clients see and signs
 * users in at the provider with ONE app): the settings, the provider (discovery, or the endpoints given by hand), the
 * app's client credentials at the provider's token endpoint, the callback to register, and a running server's
 * metadata. Never prints a secret. Network access goes through the `fetch` passed in, so tests point it at local
 * servers.
 */
import type { Finding } from './findings.js';
import { getJson, TIMEOUT_MS } from './provider-checks.js';
import type { BrokerTarget, DoctorTarget } from './target.js';

/** What the server's config.ts demands of AUTH_BROKER_SECRET: base64url of at least 32 random bytes. */
const BROKER_SECRET = /^[A-Za-z0-9_-]{43,}$/;
/** Token endpoint errors that mean "the client authenticated, the code is bad" (RFC 6749 §5.2; GitHub's own name). */
const CREDENTIALS_ACCEPTED = new Set(['invalid_grant', 'bad_verification_code']);
/** Token endpoint errors that mean "the client did not authenticate" (GitHub answers them with HTTP 200). */
const CREDENTIALS_REFUSED = new Set(['invalid_client', 'incorrect_client_credentials']);

interface Upstream {
  tokenEndpoint?: string;
  /** OpenID providers: where the client id alone can be tried when the credentials are refused. */
  authorizationEndpoint?: string;
  authMethod: 'client_secret_basic' | 'client_secret_post';
}

export async function checkBroker(target: DoctorTarget, broker: BrokerTarget, doFetch: typeof fetch = fetch): Promise<Finding[]> {
  const findings: Finding[] = [];
  const provider = target.preset.label.replace(/\s*\(.*\)$/, '');
  // 1. The settings the server refuses to start without.
  for (const [name, value] of [['AUTH_CLIENT_ID', broker.clientId], ['AUTH_CLIENT_SECRET', broker.clientSecret]] as const) {
    if (value === undefined) findings.push({ status: 'fail', message: `${name} is not set`, detail: `Register the app at ${provider} (the README's broker steps) and put its ${name === 'AUTH_CLIENT_ID' ? 'client id' : 'client secret'} in .env.` });
  }
  findings.push(brokerSecretFinding(broker.brokerSecret));

  // 2. The callback URL to register at the provider, exactly.
  findings.push({ status: 'info', message: `callback URL to register at ${provider}: ${broker.callbackUrl}`, detail: 'Exactly this string (scheme, host, port, path): the provider compares it byte for byte.' });

  // 3. The provider answers: discovery for OpenID providers, the endpoints given by hand otherwise.
  const upstream = broker.identity === 'id-token' ? await checkDiscovery(target.issuer, findings, doFetch) : await checkEndpoints(broker, findings, doFetch);

  // 4. The app's credentials, at the token endpoint.
  if (upstream?.tokenEndpoint && broker.clientId !== undefined && broker.clientSecret !== undefined) {
    findings.push(await checkClientCredentials(upstream, broker, doFetch));
  }

  // 5. The running server, when given: its metadata names itself, its resource metadata names it.
  if (broker.serverUrl !== undefined) findings.push(...(await checkRunningBroker(broker.serverUrl, target.mcpUrl, doFetch)));
  return findings;
}

function brokerSecretFinding(secret: string | undefined): Finding {
  const fix = 'A new one: node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))" (changing it forgets every client, grant and signing key).';
  if (secret === undefined) return { status: 'fail', message: 'AUTH_BROKER_SECRET is not set', detail: `It seals the broker's state. ${fix}` };
  if (!BROKER_SECRET.test(secret)) {
    return { status: 'fail', message: `AUTH_BROKER_SECRET is not base64url of at least 32 random bytes (${secret.length} characters; 43 or more of A-Z a-z 0-9 - _ needed)`, detail: fix };
  }
  return { status: 'pass', message: `AUTH_BROKER_SECRET is set (${secret.length} characters, base64url)` };
}

async function checkDiscovery(issuer: string, findings: Finding[], doFetch: typeof fetch): Promise<Upstream | undefined> {
  // The broker's own discovery (src/broker/upstream/oidc-discovery.ts): `<issuer>/.well-known/openid-configuration`.
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const answer = await getJson(doFetch, url);
  const metadata = answer.status === 200 && answer.json && typeof answer.json === 'object' ? (answer.json as Record<string, unknown>) : undefined;
  if (!metadata) {
    findings.push({ status: 'fail', message: answer.status ? `no OpenID discovery document at ${url} (${answer.status})` : `the provider is unreachable at ${url} (${answer.error})`, detail: 'Check AUTH_ISSUER: copy it from the provider\'s discovery document.' });
    return undefined;
  }
  if (metadata['issuer'] !== issuer) {
    findings.push({ status: 'fail', message: `issuer mismatch: AUTH_ISSUER is ${JSON.stringify(issuer)}, the provider says ${JSON.stringify(metadata['issuer'] ?? null)}`, detail: 'Set AUTH_ISSUER to the provider\'s value exactly: the broker refuses its ID tokens otherwise.' });
  } else {
    findings.push({ status: 'pass', message: `provider reachable, issuer matches exactly: ${JSON.stringify(issuer)}` });
  }
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
    if (typeof metadata[field] !== 'string') findings.push({ status: 'fail', message: `the provider's discovery document has no ${field}` });
  }
  const methods = Array.isArray(metadata['token_endpoint_auth_methods_supported']) ? (metadata['token_endpoint_auth_methods_supported'] as unknown[]) : ['client_secret_basic'];
  const authMethod = !methods.includes('client_secret_basic') && methods.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic';
  return {
    ...(typeof metadata['token_endpoint'] === 'string' ? { tokenEndpoint: metadata['token_endpoint'] } : {}),
    ...(typeof metadata['authorization_endpoint'] === 'string' ? { authorizationEndpoint: metadata['authorization_endpoint'] } : {}),
    authMethod,
  };
}

async function checkEndpoints(broker: BrokerTarget, findings: Finding[], doFetch: typeof fetch): Promise<Upstream> {
  const names = { authorization: 'AUTH_AUTHORIZATION_URL', token: 'AUTH_TOKEN_URL', userinfo: 'AUTH_USERINFO_URL' } as const;
  for (const key of ['authorization', 'userinfo'] as const) {
    const url = broker.endpoints[key];
    if (url === undefined) {
      findings.push({ status: 'fail', message: `${names[key]} is not set` });
      continue;
    }
    // Any answer below 500 will do: without a client or a token, a refusal is the expected answer.
    const answer = await getJson(doFetch, url);
    if (answer.status > 0 && answer.status < 500) findings.push({ status: 'pass', message: `${names[key]} answers: ${url} → ${answer.status}` });
    else findings.push({ status: 'fail', message: `${names[key]} does not answer: ${url} → ${answer.status || answer.error}`, detail: `Check ${names[key]} (and that this machine can reach it).` });
  }
  if (broker.endpoints.token === undefined) findings.push({ status: 'fail', message: `${names.token} is not set` });
  // As the broker sends them (src/broker/upstream/oauth2.ts): in the form body, the way GitHub wants them.
  return { ...(broker.endpoints.token ? { tokenEndpoint: broker.endpoints.token } : {}), authMethod: 'client_secret_post' };
}

const FIX_ID = 'AUTH_CLIENT_ID (the provider does not know this client, or not with this callback URL)';
const FIX_SECRET = 'AUTH_CLIENT_SECRET (the provider knows the client, not this secret)';

/**
 * Which setting a refusal points at: the provider's description where it says (Google, Entra), else, for OpenID
 * providers, an authorization request with the client id alone (no secret involved): a sign-in page or a redirect
 * means the client exists, an error page that it does not (many providers, oidc-provider among them, answer the
 * token endpoint's two cases alike on purpose).
 */
async function settingToFix(description: string, upstream: Upstream, broker: BrokerTarget, doFetch: typeof fetch): Promise<string> {
  if (/not found|unknown client|client is invalid|does not exist|AADSTS700016/i.test(description)) return FIX_ID;
  if (/invalid client secret|secret (is )?(invalid|incorrect|wrong|expired)|AADSTS7000215|AADSTS7000222/i.test(description)) return FIX_SECRET;
  if (upstream.authorizationEndpoint === undefined) return 'AUTH_CLIENT_ID or AUTH_CLIENT_SECRET';
  const url = new URL(upstream.authorizationEndpoint);
  const query = { client_id: broker.clientId ?? '', redirect_uri: broker.callbackUrl, response_type: 'code', scope: 'openid', state: 'doctor', code_challenge: 'doctor'.repeat(8), code_challenge_method: 'S256' };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  try {
    const answer = await doFetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    await answer.body?.cancel();
    if (answer.status >= 200 && answer.status < 400) return FIX_SECRET;
    if (answer.status >= 400 && answer.status < 500) return FIX_ID;
  } catch {
    // Unreachable now: fall back to naming both.
  }
  return 'AUTH_CLIENT_ID or AUTH_CLIENT_SECRET';
}

/**
 * Sends the token endpoint a code exchange with a deliberately invalid code and the app's real credentials: the
 * provider authenticates the client first, so `invalid_grant` (GitHub: `bad_verification_code`) means the
 * credentials were accepted, `invalid_client` (GitHub: `incorrect_client_credentials`) or 401 that they were not.
 */
async function checkClientCredentials(upstream: Upstream, broker: BrokerTarget, doFetch: typeof fetch): Promise<Finding> {
  const { tokenEndpoint = '', authMethod } = upstream;
  const clientId = broker.clientId ?? '';
  const clientSecret = broker.clientSecret ?? '';
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: 'doctor-deliberately-invalid-code', redirect_uri: broker.callbackUrl, code_verifier: 'doctor'.repeat(8) });
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
  if (authMethod === 'client_secret_basic') {
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    headers['authorization'] = `Basic ${btoa(`${encode(clientId)}:${encode(clientSecret)}`)}`;
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  }
  let status: number;
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    const response = await doFetch(tokenEndpoint, { method: 'POST', headers, body: form, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    status = response.status;
    body = ((await response.json().catch(() => ({}))) ?? {}) as typeof body;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 'fail', message: `the token endpoint is unreachable: ${tokenEndpoint} (${cause?.code ?? (error as Error).message})` };
  }
  const error = typeof body.error === 'string' ? body.error : undefined;
  // The provider may echo what it was sent: keep the secret out of the report.
  const description = typeof body.error_description === 'string' ? body.error_description.replaceAll(clientSecret || '\u0000', '[redacted]') : '';
  const said = `${error ?? `HTTP ${status}`}${description ? `: ${description}` : ''}`;
  if (error !== undefined && CREDENTIALS_ACCEPTED.has(error)) {
    return { status: 'pass', message: `client credentials accepted by ${tokenEndpoint} (a deliberately invalid code got ${error})` };
  }
  if ((error !== undefined && CREDENTIALS_REFUSED.has(error)) || status === 401) {
    return { status: 'fail', message: `client credentials refused by ${tokenEndpoint} (${said})`, detail: `Fix ${await settingToFix(description, upstream, broker, doFetch)}: copy it again from the app registered at the provider.` };
  }
  return { status: 'warn', message: `could not tell whether the client credentials are accepted: ${tokenEndpoint} answered ${said}`, detail: `Expected invalid_grant (accepted) or invalid_client (refused) for a deliberately invalid code. Is the callback ${broker.callbackUrl} registered?` };
}

/** The running broker: RFC 8414 metadata that names itself, and resource metadata that names the broker. */
async function checkRunningBroker(serverUrl: string, mcpUrl: string, doFetch: typeof fetch): Promise<Finding[]> {
  const origin = new URL(serverUrl).origin;
  const metadataUrl = `${origin}/.well-known/oauth-authorization-server`;
  const metadata = await getJson(doFetch, metadataUrl);
  const document = metadata.status === 200 && metadata.json && typeof metadata.json === 'object' ? (metadata.json as Record<string, unknown>) : undefined;
  if (!document) return [{ status: 'fail', message: `the running server has no authorization server metadata: ${metadataUrl} → ${metadata.status || metadata.error}`, detail: 'Is it running (npm start), and is --url its public origin?' }];
  const findings: Finding[] = [];
  if (document['issuer'] === origin) findings.push({ status: 'pass', message: `the running server's metadata names itself as the issuer: ${origin}` });
  else findings.push({ status: 'fail', message: `the running server's metadata names ${JSON.stringify(document['issuer'] ?? null)} as the issuer, not ${JSON.stringify(origin)}`, detail: 'Set MCP_SERVER_URL to the URL MCP clients use: the broker\'s issuer is its origin.' });
  const resourcePath = new URL(mcpUrl).pathname.replace(/\/$/, '');
  const resourceUrl = `${origin}/.well-known/oauth-protected-resource${resourcePath === '' ? '' : resourcePath}`;
  const resource = await getJson(doFetch, resourceUrl);
  const servers = (resource.json as { authorization_servers?: unknown } | undefined)?.authorization_servers;
  if (resource.status === 200 && Array.isArray(servers) && servers.includes(origin)) findings.push({ status: 'pass', message: `its protected resource metadata names the broker (${origin}) as the authorization server` });
  else findings.push({ status: 'fail', message: `its protected resource metadata (${resourceUrl} → ${resource.status || resource.error}) does not name the broker ${origin} in authorization_servers`, detail: `MCP clients would go to ${Array.isArray(servers) ? servers.join(', ') : 'nowhere'} instead of this server.` });
  return findings;
}
