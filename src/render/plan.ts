import type { Answers } from '../answers/answers.js';
import { resolveChoices } from '../answers/project-choices.js';
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
  /** The server checks tokens the provider issued (the default); the opposite of `broker`. */
  resourceServer: boolean;
  /** The server is the authorization server its MCP clients see and signs users in at the provider (`src/broker/`). */
  broker: boolean;
}

const FEATURE_LAYERS: Readonly<Record<keyof ProjectFeatures, string>> = {
  devAuthServer: 'features/dev-auth-server',
  introspection: 'features/introspection',
  metadataShim: 'features/metadata-shim',
  resourceServer: 'features/resource-server',
  broker: 'features/broker',
};

type FeatureAnswers = Pick<Answers, 'provider' | 'tokenFormat' | 'metadataShim' | 'broker'>;

/**
 * Which optional parts a project gets: the development server comes with the provider, introspection and the shim
 * with the answers (an answers file without them: the preset's choice, see project-choices.ts). A broker issues and
 * checks its own tokens and serves its own metadata: no introspection, no shim, and (for now) no development server.
 */
export function planFeatures(answers: FeatureAnswers): ProjectFeatures {
  const choices = resolveChoices(answers);
  return {
    devAuthServer: !choices.broker && getProvider(answers.provider).devAuthServer,
    introspection: !choices.broker && choices.tokenFormat === 'opaque',
    metadataShim: !choices.broker && choices.metadataShim,
    resourceServer: !choices.broker,
    broker: choices.broker,
  };
}

/** The template layers for a project, in render order: later layers may replace files of earlier ones. */
export function planLayers(answers: FeatureAnswers & Pick<Answers, 'framework'>): string[] {
  const features = planFeatures(answers);
  const optional = (Object.keys(FEATURE_LAYERS) as (keyof ProjectFeatures)[]).filter((name) => features[name]).map((name) => FEATURE_LAYERS[name]);
  return ['base', `framework/${answers.framework}`, 'auth', ...optional];
}
