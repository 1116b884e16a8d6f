import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSecrets } from '../../src/broker/secrets.js';

const SECRET = randomBytes(32).toString('base64url');

describe('the broker secrets', () => {
  it('opens what it sealed for the same context', async () => {
    const secrets = await deriveSecrets(SECRET);
    const box = await secrets.seal('upstream-refresh-token', 'grant:g1');
    expect(box).not.toContain('upstream-refresh-token');
    expect(await secrets.open(box, 'grant:g1')).toBe('upstream-refresh-token');
  });

  it('uses a fresh IV for every box', async () => {
    const secrets = await deriveSecrets(SECRET);
    expect(await secrets.seal('same', 'c')).not.toBe(await secrets.seal('same', 'c'));
  });

  it('refuses a box moved to another record', async () => {
    const secrets = await deriveSecrets(SECRET);
    const box = await secrets.seal('token', 'grant:g1');
    expect(await secrets.open(box, 'grant:g2')).toBeUndefined();
  });

  it('refuses a tampered, truncated or foreign box', async () => {
    const secrets = await deriveSecrets(SECRET);
    const box = await secrets.seal('token', 'c');
    const flipped = box.slice(0, -2) + (box.at(-2) === 'A' ? 'B' : 'A') + box.at(-1);
    for (const bad of [flipped, box.slice(0, -4), box + '.x', box.replace('v1.', 'v2.'), '', 'v1..', 'v1.!!!.???']) {
      expect(await secrets.open(bad, 'c')).toBeUndefined();
    }
    const other = await deriveSecrets(randomBytes(32).toString('base64url'));
    expect(await other.open(box, 'c')).toBeUndefined();
  });

  it('verifies its own signatures only', async () => {
    const secrets = await deriveSecrets(SECRET);
    const signature = await secrets.sign('consent:client-a');
    expect(await secrets.verify('consent:client-a', signature)).toBe(true);
    expect(await secrets.verify('consent:client-b', signature)).toBe(false);
    expect(await secrets.verify('consent:client-a', signature.slice(1))).toBe(false);
    expect(await secrets.verify('consent:client-a', 'not base64url!')).toBe(false);
    const other = await deriveSecrets(randomBytes(32).toString('base64url'));
    expect(await other.verify('consent:client-a', signature)).toBe(false);
  });

  it('keeps the sealing and signing keys apart', async () => {
    const secrets = await deriveSecrets(SECRET);
    // A signature is not a box and a box is not a signature: different derived keys and formats.
    const signature = await secrets.sign('x');
    expect(await secrets.open(`v1.${signature}`, 'x')).toBeUndefined();
  });

  it('refuses a short, empty or malformed secret and says how to make one', async () => {
    for (const bad of ['', randomBytes(31).toString('base64url'), randomBytes(32).toString('base64') + '+/', 'password1234567890password1234567890!']) {
      await expect(deriveSecrets(bad)).rejects.toThrow(/AUTH_BROKER_SECRET.*randomBytes\(32\)/);
    }
  });
});
