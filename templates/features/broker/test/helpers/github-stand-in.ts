/**
 * A GitHub-like plain OAuth 2 server on 127.0.0.1 (node:http): `/login/oauth/authorize` (PKCE S256, state echoed,
 * exact redirect_uri), `/login/oauth/access_token` (form body; JSON with `Accept: application/json`, form-encoded
 * otherwise; errors answered with HTTP 200 as GitHub does) and `/user` (numeric id; 401 without a valid token).
 * Opaque tokens, no discovery. Use it through upstream-stand-ins.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './stand-in-http.js';

export interface GitHubUser {
  /** GitHub's stable numeric id; `null` makes a broken user API (tests of the refusal). */
  id: number | null;
  login: string;
  name: string | null;
  email: string | null;
}

export interface GitHubStandInOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Login of the user signed in without a page; otherwise a tiny form (`username`, `password` = login) is shown. */
  autoLogin?: string;
  users?: GitHubUser[];
  /** Expiring user tokens with refresh tokens (a GitHub App); by default tokens never expire (an OAuth app). */
  expiringTokens?: boolean;
  /** Port on 127.0.0.1 (default 0: a free one); `npm run dev` uses a fixed one (dev/broker-dev.ts). */
  port?: number;
}

export interface GitHubStandIn {
  authorizationUrl: string;
  tokenUrl: string;
  userUrl: string;
  users: readonly GitHubUser[];
  setDown(down: boolean): void;
  /** Requests per path, e.g. `requests['/login/oauth/access_token']`. */
  requests: Record<string, number>;
  close(): Promise<void>;
}

interface PendingCode {
  login: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
}

const random = (prefix: string): string => `${prefix}_${randomBytes(24).toString('base64url')}`;
const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export async function startGitHubStandIn(o: GitHubStandInOptions): Promise<GitHubStandIn> {
  const users = o.users ?? [
    { id: 1001, login: 'octocat', name: 'The Octocat', email: 'octocat@example.com' },
    { id: 1002, login: 'hubot', name: null, email: null },
  ];
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, string>(); // token → login
  const refreshTokens = new Map<string, { login: string; scope: string }>();
  const requests: Record<string, number> = {};
  let down = false;

  const json = (res: ServerResponse, status: number, body: unknown): void =>
    void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

  function issueTokens(req: IncomingMessage, res: ServerResponse, login: string, scope: string): void {
    const accessToken = random('gho');
    accessTokens.set(accessToken, login);
    const body: Record<string, string | number> = { access_token: accessToken, token_type: 'bearer', scope };
    if (o.expiringTokens) {
      const refreshToken = random('ghr');
      refreshTokens.set(refreshToken, { login, scope });
      Object.assign(body, { expires_in: 28800, refresh_token: refreshToken, refresh_token_expires_in: 15897600 });
    }
    answerToken(req, res, body);
  }

  /** GitHub answers JSON only when asked, and its OAuth errors with HTTP 200. */
  function answerToken(req: IncomingMessage, res: ServerResponse, body: Record<string, string | number>): void {
    if ((req.headers.accept ?? '').includes('application/json')) return json(res, 200, body);
    const form = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]));
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(form.toString());
  }
  const oauthError = (req: IncomingMessage, res: ServerResponse, error: string, description: string): void =>
    answerToken(req, res, { error, error_description: description, error_uri: 'https://docs.github.com/apps' });

  function authorize(res: ServerResponse, url: URL, login: string | undefined): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== o.clientId || !o.redirectUris.includes(redirectUri)) {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client or redirect_uri');
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const challenge = q.get('code_challenge');
    if (challenge !== null && q.get('code_challenge_method') !== 'S256') {
      back.searchParams.set('error', 'invalid_request');
    } else if (login === undefined) {
      const hidden = [...q].map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, '&quot;')}">`).join('');
      const page = `<!doctype html><form method="post">${hidden}<input name="username"><input name="password" type="password"><button>Sign in</button></form>`;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      const code = randomBytes(10).toString('hex');
      codes.set(code, { login, redirectUri, codeChallenge: challenge ?? '', scope: q.get('scope') ?? '' });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  function token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
    const clientId = form.get('client_id') ?? basicId;
    const clientSecret = form.get('client_secret') ?? basicSecret;
    if (clientId !== o.clientId || clientSecret !== o.clientSecret) {
      return oauthError(req, res, 'incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
    }
    if (form.get('grant_type') === 'refresh_token') {
      const old = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!old) return oauthError(req, res, 'bad_refresh_token', 'The refresh token passed is incorrect or expired.');
      refreshTokens.delete(form.get('refresh_token') ?? '');
      return issueTokens(req, res, old.login, old.scope);
    }
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    if (!pending) return oauthError(req, res, 'bad_verification_code', 'The code passed is incorrect or expired.');
    if (form.has('redirect_uri') && form.get('redirect_uri') !== pending.redirectUri) {
      return oauthError(req, res, 'redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL.');
    }
    if (pending.codeChallenge && s256(form.get('code_verifier') ?? '') !== pending.codeChallenge) {
      return oauthError(req, res, 'bad_verification_code', 'The code_verifier does not match the code_challenge.');
    }
    issueTokens(req, res, pending.login, pending.scope);
  }

  function user(req: IncomingMessage, res: ServerResponse): void {
    if (!req.headers['user-agent']) return json(res, 403, { message: 'Request forbidden by administrative rules.' });
    const bearer = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const found = users.find((u) => u.login === accessTokens.get(bearer ?? ''));
    if (!found) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const { id, ...rest } = found;
    json(res, 200, id === null ? rest : { id, ...rest });
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/login/oauth/authorize' && req.method === 'GET') return authorize(res, url, o.autoLogin);
    if (url.pathname === '/login/oauth/authorize' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const login = users.find((u) => u.login === form.get('username') && form.get('password') === u.login)?.login;
      if (!login) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('wrong username or password');
      return authorize(res, new URL(`${url.pathname}?${form}`, url), login);
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') return token(req, res, new URLSearchParams(await readBody(req)));
    if (url.pathname === '/user' && req.method === 'GET') return user(req, res);
    json(res, 404, { message: 'Not Found' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests[url.pathname] = (requests[url.pathname] ?? 0) + 1;
    if (down) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('unicorn');
    route(req, res, url).catch(() => !res.headersSent && res.writeHead(500).end());
  });
  const origin = `http://127.0.0.1:${await listenOnLoopback(server, o.port)}`;
  return {
    authorizationUrl: `${origin}/login/oauth/authorize`,
    tokenUrl: `${origin}/login/oauth/access_token`,
    userUrl: `${origin}/user`,
    users,
    requests,
    setDown: (value) => void (down = value),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
