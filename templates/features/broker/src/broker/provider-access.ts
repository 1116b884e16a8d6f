import { BrokerError, UpstreamError, type BrokerClock, type BrokerSecrets, type BrokerStore, type ProviderAccess, type Upstream, type UpstreamTokens } from './contracts.js';
import { deleteGrant, readGrant, upstreamKey } from './grant-records.js';

/** A provider token this close to its expiry is refreshed first: it must survive the tool's request to the provider. */
const EXPIRY_MARGIN_SECONDS = 30;

export interface ProviderTokensOptions {
  store: BrokerStore;
  secrets: BrokerSecrets;
  upstream: Upstream;
  now: BrokerClock;
}

/** The provider's tokens of each grant: sealed at rest, refreshed when expired, one refresh per grant at a time. */
export function createProviderTokens(options: ProviderTokensOptions) {
  const { store, secrets, upstream, now } = options;
  /** In-process: concurrent tool calls of one grant share one refresh (providers that rotate refresh tokens would
   * otherwise see the second call reuse the first's old refresh token, and revoke the user's session). */
  const refreshing = new Map<string, Promise<string>>();

  async function save(grantId: string, tokens: UpstreamTokens): Promise<void> {
    const grant = await readGrant(store, grantId, now);
    if (!grant) throw new BrokerError('invalid_grant', 'the grant was revoked or has expired; sign in again');
    const box = await secrets.seal(JSON.stringify(tokens), `grant:${grantId}`);
    await store.set(upstreamKey(grantId), box, grant.expiresAt - now());
  }

  async function load(grantId: string): Promise<UpstreamTokens> {
    if (!(await readGrant(store, grantId, now))) throw new BrokerError('invalid_grant', 'the grant was revoked or has expired; sign in again');
    const box = await store.get<string>(upstreamKey(grantId));
    const json = box === undefined ? undefined : await secrets.open(box, `grant:${grantId}`);
    if (!json) throw new BrokerError('invalid_grant', "the provider's tokens for this grant are missing or cannot be opened (was AUTH_BROKER_SECRET changed?); sign in again");
    return JSON.parse(json) as UpstreamTokens;
  }

  async function refresh(grantId: string, tokens: UpstreamTokens & { refreshToken: string }): Promise<string> {
    let fresh: UpstreamTokens;
    try {
      fresh = await upstream.refresh(tokens.refreshToken);
    } catch (error) {
      // The provider said no: its grant is gone, so is ours; the MCP client's next request gets a 401 and signs in again.
      if (error instanceof UpstreamError && error.kind === 'refused') await deleteGrant(store, grantId);
      throw error instanceof UpstreamError || error instanceof BrokerError ? error : new UpstreamError('unavailable', 'refreshing the provider token failed', undefined, { cause: error });
    }
    // Providers that do not rotate refresh tokens send none back: keep the one we have.
    await save(grantId, { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken });
    return fresh.accessToken;
  }

  const isFresh = (tokens: UpstreamTokens): boolean => tokens.expiresAt === undefined || tokens.expiresAt - EXPIRY_MARGIN_SECONDS > now();

  /**
   * Reads the tokens again inside the one refresh of this grant: a caller that read them before another refresh
   * finished would otherwise spend the already rotated refresh token a second time, and the provider would end the grant.
   */
  async function refreshIfStillExpired(grantId: string): Promise<string> {
    const tokens = await load(grantId);
    if (isFresh(tokens)) return tokens.accessToken;
    const { refreshToken } = tokens;
    if (!refreshToken) throw new UpstreamError('refused', "the provider's access token expired and the provider gave no refresh token; sign in again", 'invalid_grant');
    return refresh(grantId, { ...tokens, refreshToken });
  }

  async function accessToken(grantId: string): Promise<string> {
    const tokens = await load(grantId);
    if (isFresh(tokens)) return tokens.accessToken;
    let pending = refreshing.get(grantId);
    if (!pending) {
      pending = refreshIfStillExpired(grantId).finally(() => refreshing.delete(grantId));
      refreshing.set(grantId, pending);
    }
    return pending;
  }

  return {
    save,
    access: (grantId: string): ProviderAccess => ({ accessToken: () => accessToken(grantId), profileUrl: upstream.profileUrl }),
  };
}
