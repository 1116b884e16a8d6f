/**
 * Every provider, one file each (`src/providers/<id>.ts`, a `defineProvider({...})`), in the order prompts and
 * `--help` show them. Prompts, `--help`, flag validation, templates, the generated README and `doctor` all read this
 * list; adding a provider means adding its file (and its recorded discovery document in test/fixtures/providers/)
 * and listing it here. Facts come from the sourced research in providers.json (see `uncertain` in each file for
 * what it could not confirm).
 */
import type { ProviderPreset } from './provider-preset.js';
import local from './local.js';
import oidc from './oidc.js';
import oauth from './oauth.js';
import logto from './logto.js';
import auth0 from './auth0.js';
import keycloak from './keycloak.js';
import okta from './okta.js';
import entra from './entra.js';
import cognito from './cognito.js';
import google from './google.js';
import descope from './descope.js';
import stytch from './stytch.js';
import workos from './workos.js';
import clerk from './clerk.js';
import zitadel from './zitadel.js';
import authentik from './authentik.js';
import ory from './ory.js';
import scalekit from './scalekit.js';
import asgardeo from './asgardeo.js';
import supabase from './supabase.js';
import betterAuth from './better-auth.js';
import fusionauth from './fusionauth.js';
import pingone from './pingone.js';
import github from './github.js';

export type { BrokerPreset, InputKind, ProviderInput, ProviderPreset, Support, TokenPreset } from './provider-preset.js';
export { ASYMMETRIC_ALGORITHMS } from './building-blocks.js';

export const providers = [
  local,
  oidc,
  oauth,
  logto,
  auth0,
  keycloak,
  okta,
  entra,
  cognito,
  google,
  descope,
  stytch,
  workos,
  clerk,
  zitadel,
  authentik,
  ory,
  scalekit,
  asgardeo,
  supabase,
  betterAuth,
  fusionauth,
  pingone,
  github,
] as const;

export type ProviderId = (typeof providers)[number]['id'];

/** The preset for `id`; ids come from validated answers, so a miss is a bug. */
export function getProvider(id: ProviderId): ProviderPreset {
  const row = providers.find((p) => p.id === id);
  if (!row) throw new Error(`unknown provider ${id}`);
  return row;
}
