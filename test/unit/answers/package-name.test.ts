import { describe, expect, test } from 'vitest';
import { packageNameFor } from '../../../src/answers/package-name.js';

describe('packageNameFor', () => {
  test('uses the last path segment of the target directory', () => {
    expect(packageNameFor('projects/my-server', '/home/u')).toBe('my-server');
    expect(packageNameFor('my-server/', '/home/u')).toBe('my-server');
    expect(packageNameFor('/abs/path/server', '/home/u')).toBe('server');
  });

  test('uses the current folder name for .', () => {
    expect(packageNameFor('.', '/home/u/cool-server')).toBe('cool-server');
  });

  test('keeps a scoped name whole', () => {
    expect(packageNameFor('@acme/mcp', '/home/u')).toBe('@acme/mcp');
  });
});
