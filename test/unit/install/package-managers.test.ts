import { describe, expect, test } from 'vitest';
import { detectPackageManager, packageManagers } from '../../../src/install/package-managers.js';

describe('detectPackageManager', () => {
  test.each([
    ['npm/11.6.0 node/v20.20.0 linux x64 workspaces/false', 'npm'],
    ['pnpm/9.1.0 npm/? node/v20.12.0 linux x64', 'pnpm'],
    ['yarn/1.22.22 npm/? node/v20.12.0 darwin arm64', 'yarn'],
    ['yarn/4.5.0 npm/? node/v20.12.0 linux x64', 'yarn'],
    ['bun/1.1.30 npm/? node/v22.6.0 linux x64', 'bun'],
    ['cnpm/9.0.0 npm/? node/v20.0.0', 'npm'],
    ['', 'npm'],
    [undefined, 'npm'],
  ])('reads %j as %s', (userAgent, expected) => {
    expect(detectPackageManager(userAgent)).toBe(expected);
  });
});

describe('package managers table', () => {
  test('has unique ids and an install command starting with the manager itself', () => {
    expect(new Set(packageManagers.map((p) => p.id)).size).toBe(packageManagers.length);
    for (const manager of packageManagers) expect(manager.install[0]).toBe(manager.id);
  });
});
