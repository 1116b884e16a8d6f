/** Environment variable that points the CLI at another template tree (tests use fixture templates). */
export const TEMPLATES_ENV = 'CREATE_MCP_AUTH_SERVER_TEMPLATES';

/**
 * The template tree: `$CREATE_MCP_AUTH_SERVER_TEMPLATES` when set, else `templates/` next to `dist/`
 * (the bundled CLI and its chunks live in `dist/`, the package ships `templates/` beside it).
 */
export function resolveTemplatesRoot(env: NodeJS.ProcessEnv): URL | string {
  const override = env[TEMPLATES_ENV];
  if (override) return override;
  return new URL('../templates/', import.meta.url);
}
