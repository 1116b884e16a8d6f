import type { Answers } from '../answers/answers.js';
import { getProvider } from '../providers/index.js';

/**
 * The optional parts of a generated project. A project holds only the parts it uses: each is a template layer
 * (`templates/features/<name>/`) plus a named condition in the few shared files that wire it in.
 */
export interface ProjectFeatures {
  /** The development authorization server (`dev/`, oidc-provider): `npm run dev` and the project's own OAuth flow tests. */
  devAuthServer: boolean;
  /** Opaque access tokens checked by RFC 7662 introspection (or Google's tokeninfo). */
  introspection: boolean;
  /** The metadata shim for providers whose metadata MCP clients refuse (no `code_challenge_methods_supported`). */
  metadataShim: boolean;
}

const FEATURE_LAYERS: Readonly<Record<keyof ProjectFeatures, string>> = {
  devAuthServer: 'features/dev-auth-server',
  introspection: 'features/introspection',
  metadataShim: 'features/metadata-shim',
};

/** Which optional parts a project gets: decided by its provider preset. */
export function planFeatures(answers: Pick<Answers, 'provider'>): ProjectFeatures {
  const provider = getProvider(answers.provider);
  return {
    devAuthServer: provider.devAuthServer,
    introspection: provider.token.format === 'opaque',
    metadataShim: provider.pkceFieldMissing === true,
  };
}

/** The template layers for a project, in render order: later layers may replace files of earlier ones. */
export function planLayers(answers: Pick<Answers, 'framework' | 'provider'>): string[] {
  const features = planFeatures(answers);
  const optional = (Object.keys(FEATURE_LAYERS) as (keyof ProjectFeatures)[]).filter((name) => features[name]).map((name) => FEATURE_LAYERS[name]);
  return ['base', `framework/${answers.framework}`, 'auth', ...optional];
}
