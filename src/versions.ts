/**
 * Every dependency version a generated project gets, in one map.
 * Keep the MCP SDK packages in step: `@modelcontextprotocol/node` 2.1.x needs `server` ^2.4.0 (npm ERESOLVE otherwise).
 * vitest 5 needs Node >= 22.12, so generated projects (Node >= 20) stay on vitest 4.1.
 */
export const versions = {
  '@modelcontextprotocol/server': '^2.4.0',
  '@modelcontextprotocol/express': '^2.0.2',
  '@modelcontextprotocol/hono': '^2.0.2',
  '@modelcontextprotocol/node': '^2.1.2',
  '@modelcontextprotocol/client': '^2.4.0',
  jose: '^6.2.18',
  express: '^5.3.0',
  hono: '^4.13.19',
  '@hono/node-server': '^2.1.9',
  zod: '^4.6.7',
  'oidc-provider': '^9.13.3',
  tsx: '^4.23.15',
  typescript: '~5.9.3',
  vitest: '~4.1.12',
  // vitest's peer dependency, named so yarn classic (which links no peer for us) installs it without a warning.
  vite: '^8.4.1',
  '@types/node': '^20.19.8',
  '@types/express': '^5.0.6',
  '@types/oidc-provider': '^9.12.1',
  // Cloudflare Workers projects: wrangler 4.164 brings workerd 1.20261117 (compatibility dates up to 2026-11-17).
  wrangler: '^4.164.0',
} as const satisfies Record<string, string>;

export type DependencyName = keyof typeof versions;
