import { files } from 'virtual:precompiled-templates';
import { precompiledTemplates, templateDirectory, type TemplateSource } from './template-source.js';

/** Environment variable that points the CLI at another template tree (tests use fixture templates). */
export const TEMPLATES_ENV = 'CREATE_MCP_AUTH_SERVER_TEMPLATES';

/**
 * The templates the CLI renders: the folder `$CREATE_MCP_AUTH_SERVER_TEMPLATES` when set, else the templates
 * compiled into the bundle at build time (scripts/build.mjs provides `virtual:precompiled-templates`).
 */
export function resolveTemplates(env: NodeJS.ProcessEnv): TemplateSource {
  const override = env[TEMPLATES_ENV];
  return override ? templateDirectory(override) : precompiledTemplates(files);
}
