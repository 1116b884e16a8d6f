import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcStandIn, type OidcStandIn } from '../helpers/upstream-stand-ins.js';

// The stand-ins are used by every later broker test: their browser path (without autoLogin) must work and refuse.
const CALLBACK = 'http://127.0.0.1:9/oauth/callback';
let standIn: OidcStandIn;
beforeAll(async () => {
  standIn = await startOidcStandIn({ clientId: 'app', clientSecret: 'secret-secret', redirectUris: [CALLBACK] });
}, 30_000);
afterAll(() => standIn.close());

async function startAuthorization(redirectUri = CALLBACK): Promise<{ response: Response; cookie: string }> {
  const url = new URL(`${standIn.issuer}/auth`);
  const params = { response_type: 'code', client_id: 'app', redirect_uri: redirectUri, scope: 'openid', state: 's', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256' };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const first = await fetch(url, { redirect: 'manual' });
  const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const location = first.headers.get('location');
  if (!location) return { response: first, cookie };
  return { response: await fetch(new URL(location, standIn.issuer), { redirect: 'manual', headers: { cookie } }), cookie };
}

describe('OIDC stand-in', () => {
  it('shows a login form a browser can fill, refuses a wrong password and signs the right one in', async () => {
    const { response, cookie } = await startAuthorization();
    const page = await response.text();
    expect(page).toMatch(/name="username"/);
    expect(page).toMatch(/name="password"/);
    const action = new URL(/action="([^"]+)"/.exec(page)?.[1] ?? '', standIn.issuer);
    const post = (password: string) =>
      fetch(action, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'bob', password }) });
    expect((await post('wrong')).status).toBe(401);
    const signedIn = await post('bob');
    expect(signedIn.status).toBe(303);
    // The rest of the way (resume at /auth/<uid>) ends at the callback with a code.
    const resumed = await fetch(new URL(signedIn.headers.get('location') ?? '', standIn.issuer), { redirect: 'manual', headers: { cookie } });
    expect(resumed.headers.get('location')).toMatch(new RegExp(`^${CALLBACK}\\?code=`));
  });

  it('refuses a redirect URI that is not registered exactly', async () => {
    const { response } = await startAuthorization(`${CALLBACK}/other`);
    expect(response.status).toBe(400);
  });

  it('has no registration endpoint and answers 503 everywhere while down', async () => {
    const metadata = (await (await fetch(`${standIn.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.registration_endpoint).toBeUndefined();
    standIn.setDown(true);
    try {
      expect((await fetch(`${standIn.issuer}/.well-known/openid-configuration`)).status).toBe(503);
      expect((await fetch(`${standIn.issuer}/token`, { method: 'POST' })).status).toBe(503);
    } finally {
      standIn.setDown(false);
    }
  });

  it('answers /me only for a valid access token', async () => {
    expect((await fetch(`${standIn.issuer}/me`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
  });
});
