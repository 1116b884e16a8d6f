import { describe, expect, it, vi } from 'vitest';
import { UpstreamError, type UpstreamTokens } from '../../src/broker/contracts.js';
import { CLIENT, setupCore } from '../helpers/broker-core-setup.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the provider's tokens of a grant", () => {
  it('are handed out as they are while fresh, and sealed at rest', async () => {
    const core = await setupCore();
    const grantId = await core.grant();
    expect(await core.grants.providerAccess(grantId).accessToken()).toBe('upstream-at');
    expect(core.upstreamRefreshes).toEqual([]);
    expect(JSON.stringify(await core.store.get(`upstream:${grantId}`))).not.toContain('upstream-at');
  });

  it('are refreshed 30 s before expiry, stored again, and the old refresh token kept when none comes back', async () => {
    let round = 0;
    const core = await setupCore({ refresh: async () => ({ accessToken: `fresh-${++round}`, expiresAt: 1_800_000_000 + 7200 }) });
    const grantId = await core.grant();
    const access = core.grants.providerAccess(grantId);
    core.clock.advance(3600 - 30);
    expect(await access.accessToken()).toBe('fresh-1');
    expect(await access.accessToken()).toBe('fresh-1'); // stored: no second refresh
    core.clock.advance(3600);
    expect(await access.accessToken()).toBe('fresh-2');
    expect(core.upstreamRefreshes).toEqual(['upstream-rt', 'upstream-rt']);
  });

  it('are refreshed once for concurrent callers', async () => {
    const gate = deferred<UpstreamTokens>();
    const core = await setupCore({ refresh: () => gate.promise });
    const grantId = await core.grant();
    core.clock.advance(3600);
    const calls = [1, 2, 3].map(() => core.grants.providerAccess(grantId).accessToken());
    gate.resolve({ accessToken: 'shared', refreshToken: 'rotated' });
    expect(await Promise.all(calls)).toEqual(['shared', 'shared', 'shared']);
    expect(core.upstreamRefreshes).toHaveLength(1);
  });

  it('are not refreshed twice by a caller that read them just before another refresh finished', async () => {
    const gate = deferred<UpstreamTokens>();
    const core = await setupCore({ refresh: () => gate.promise });
    const grantId = await core.grant();
    core.clock.advance(3600);
    const first = core.grants.providerAccess(grantId).accessToken();
    await vi.waitFor(() => expect(core.upstreamRefreshes).toHaveLength(1));
    // The second caller reads the expired tokens now, but gets on only after the first refresh has finished.
    const read = core.store.get.bind(core.store);
    const held = deferred<void>();
    core.store.get = async <T,>(key: string) => {
      const value = await read<T>(key);
      if (key.startsWith('upstream:')) await held.promise;
      return value;
    };
    const second = core.grants.providerAccess(grantId).accessToken();
    gate.resolve({ accessToken: 'fresh', refreshToken: 'rotated', expiresAt: core.clock.now() + 3600 });
    expect(await first).toBe('fresh');
    core.store.get = read;
    held.resolve();
    expect(await second).toBe('fresh');
    expect(core.upstreamRefreshes).toHaveLength(1);
  });

  it('end the grant when the provider refuses the refresh', async () => {
    const core = await setupCore({ refresh: async () => { throw new UpstreamError('refused', 'revoked at the provider', 'invalid_grant'); } });
    const t = await core.tokens();
    core.clock.advance(3600);
    await expect(core.grants.providerAccess(t.grantId).accessToken()).rejects.toBeInstanceOf(UpstreamError);
    await expect(core.verifier.verifyAccessToken(t.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('keep the grant when the provider is only unreachable', async () => {
    const core = await setupCore({ refresh: async () => { throw new Error('ECONNREFUSED'); } });
    const t = await core.tokens();
    core.clock.advance(3600);
    await expect(core.grants.providerAccess(t.grantId).accessToken()).rejects.toMatchObject({ name: 'UpstreamError', kind: 'unavailable' });
    core.clock.advance(-3600);
    await expect(core.verifier.verifyAccessToken(t.access_token)).resolves.toBeDefined();
  });

  it('expired without a refresh token, or of a revoked grant: a clear error', async () => {
    const core = await setupCore({ upstreamTokens: { accessToken: 'a', expiresAt: 1_800_000_000 + 60 } });
    const t = await core.tokens();
    core.clock.advance(60);
    await expect(core.grants.providerAccess(t.grantId).accessToken()).rejects.toThrow(/no refresh token; sign in again/);
    await core.grants.revoke({ token: t.refresh_token, clientId: CLIENT });
    await expect(core.grants.providerAccess(t.grantId).accessToken()).rejects.toMatchObject({ name: 'BrokerError', code: 'invalid_grant' });
  });
});
