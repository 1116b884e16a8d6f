import type { Answers } from '../answers/answers.js';
import { resolveChoices } from '../answers/project-choices.js';
import { getProvider } from '../providers/index.js';
import type { RuntimeId } from '../stack/runtimes.js';

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
  /** The escape hatch for providers without standard discovery: `--metadata-url` or `--jwks-uri` (manual-discovery.ts). */
  manualDiscovery: boolean;
}

/**
 * The layers of each part. The broker's development half (`dev/`: `npm run dev` with a stand-in for the provider) is
 * a layer of its own, apart from the broker code a project deploys, and comes with every broker project.
 */
const FEATURE_LAYERS: Readonly<Record<keyof ProjectFeatures, string | readonly string[]>> = {
  devAuthServer: 'features/dev-auth-server',
  introspection: 'features/introspection',
  metadataShim: 'features/metadata-shim',
  resourceServer: 'features/resource-server',
  broker: ['features/broker', 'features/broker-dev'],
  manualDiscovery: 'features/manual-discovery',
};

/**
 * The layers a runtime adds, last (they may replace earlier files): its entry and deployment files. Bun runs the
 * Node project as it is (its scripts, Dockerfile and listen differ by a condition in the shared files).
 */
const RUNTIME_LAYERS: Readonly<Record<RuntimeId, readonly string[]>> = {
  node: [],
  bun: [],
  deno: ['runtime/deno'],
  workers: ['runtime/workers'],
};

type FeatureAnswers = Pick<Answers, 'provider' | 'tokenFormat' | 'metadataShim' | 'broker'> & Partial<Pick<Answers, 'metadataUrl' | 'jwksUri'>>;

/**
 * Which optional parts a project gets: the development server comes with the provider, introspection and the shim
 * with the answers (an answers file without them: the preset's choice, see project-choices.ts). A broker issues and
 * checks its own tokens and serves its own metadata: no introspection, no shim, and its own development stand-in for
 * the provider (features/broker-dev) instead of the development authorization server.
 */
export function planFeatures(answers: FeatureAnswers): ProjectFeatures {
  const choices = resolveChoices(answers);
  return {
    devAuthServer: !choices.broker && getProvider(answers.provider).devAuthServer,
    introspection: !choices.broker && choices.tokenFormat === 'opaque',
    metadataShim: !choices.broker && choices.metadataShim,
    resourceServer: !choices.broker,
    broker: choices.broker,
    manualDiscovery: !choices.broker && (answers.metadataUrl !== undefined || answers.jwksUri !== undefined),
  };
}

/** The template layers for a project, in render order: later layers may replace files of earlier ones. */
export function planLayers(answers: FeatureAnswers & Pick<Answers, 'framework' | 'runtime'>): string[] {
  const features = planFeatures(answers);
  const optional = (Object.keys(FEATURE_LAYERS) as (keyof ProjectFeatures)[]).filter((name) => features[name]).flatMap((name) => FEATURE_LAYERS[name]);
  return ['base', `framework/${answers.framework}`, 'auth', ...optional, ...RUNTIME_LAYERS[answers.runtime ?? 'node']];
}
