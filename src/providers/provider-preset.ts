/**
 * The shape of one provider preset: data only. Prompts, flags, `--help`, validation, templates, the generated
 * README and `doctor` all read these fields; a provider file writes them through `defineProvider` (define-provider.ts).
 * Facts come from the sourced research in providers.json; where a fact is uncertain the preset asks or accepts both.
 */

import type { TokenRules as ServerTokenRules } from '../../templates/auth/src/auth/token-claims.js';

/** How an input's value is checked (see `validateProviderInput`). */
export type InputKind =
  /** A host name without scheme or path: `dev-abc123.us.auth0.com`. */
  | 'host'
  /** An https base URL without a trailing slash, query or fragment (http only on loopback). */
  | 'base-url'
  /** An issuer URL exactly as the provider writes it (trailing slash kept). */
  | 'issuer'
  /** One URL path segment or identifier: letters, digits, `.`, `_`, `~`, `-`. */
  | 'segment'
  /** A GUID such as an Entra tenant or application id. */
  | 'uuid'
  /** An AWS region such as `us-east-1`. */
  | 'aws-region'
  /** A comma-separated list of identifiers (client ids). */
  | 'id-list'
  /** An audience value (URL or identifier), like `--audience`. */
  | 'audience'
  /** A URL path starting with `/`, without a trailing slash. */
  | 'path'
  /** One of `choices`. */
  | 'choice'
  /** An absolute https URL (http only on loopback) without query, fragment or credentials: an endpoint. */
  | 'url';

export interface ProviderInput {
  /** Key in `answers.providerInputs` and the `{placeholder}` in templates. */
  id: string;
  /** Flag name without dashes, unique across presets: `auth0-domain`. */
  flag: string;
  /** Prompt text. */
  label: string;
  /** Shown in the prompt and in errors. */
  example: string;
  kind: InputKind;
  /** For `choice`. */
  choices?: readonly string[];
  /** Used when the input is not given (optional inputs only). Empty string: leave unset. May use `{otherInput}`. */
  default?: string;
}

/** Where the provider publishes its metadata (what `doctor` and the README explain). */
export type MetadataLocation = 'root' | 'path-appended' | 'path-inserted';

/** yes / no / partial (behind a setting) / uncertain (no primary source found). */
export type Support = 'yes' | 'no' | 'partial' | 'uncertain';

/**
 * The rules the generated server enforces, declared once by the server itself (templates/auth/src/auth/token-claims.ts).
 * A preset writes them as the server reads them, except that `extraIssuers` and `scopePrefix` may hold `{input}`
 * placeholders and the standard claims (`scope`, `scp`, `client_id`) are appended by `tokenRulesFor`.
 */
export type PresetTokenRules = Pick<
  ServerTokenRules,
  | 'scopeClaims' | 'permissionClaims' | 'clientIdClaims' | 'forbiddenClaims' | 'algorithms' | 'requiredTyp'
  | 'requiredClaims' | 'audienceFallbackClaims' | 'audience' | 'requireClientId' | 'extraIssuers' | 'scopePrefix'
>;

export interface TokenPreset extends PresetTokenRules {
  /** `jwt`: verified locally against the JWKS. `opaque`: RFC 7662 introspection (or the provider's endpoint). */
  format: 'jwt' | 'opaque';
  /** How opaque tokens are checked: RFC 7662, or Google's non-standard tokeninfo. */
  introspection?: 'rfc7662' | 'google-tokeninfo';
  /**
   * Formats a project for this provider cannot use, each with why (the `--token-format` refusal): `opaque` where the
   * provider has no endpoint the generated server can introspect with, `jwt` where it never issues JWT access tokens.
   * Absent: both work (opaque through the metadata's `introspection_endpoint` or AUTH_INTROSPECTION_ENDPOINT).
   */
  unsupportedFormats?: Partial<Record<'jwt' | 'opaque', string>>;
  /** How the provider writes its first scope claim: a space-separated string (default) or an array (Okta, Ory `scp`). */
  scopeFormat?: 'string' | 'array';
  /**
   * What `aud` names in this provider's access tokens: the MCP server (`resource`, the default), the client app
   * (`client`: Entra, authentik, FusionAuth; its ID tokens carry the same `aud`), or something every token of the
   * project shares (`project`: Stytch, Supabase). For the last two `aud` alone cannot tell an access token from the
   * provider's other JWTs, so a marker that only access tokens carry must be required.
   */
  audienceNames?: 'resource' | 'client' | 'project';
  /**
   * Why the scope claims grant what they grant, and what tells this provider's access tokens from its ID, session
   * and machine tokens, each with its source (documentation page or the provider's code). Shown in the README.
   */
  evidence: { scopes: string; accessTokens: string };
  /** Appended to an issuer or `ver` refusal: what to change in the provider. */
  issuerHint?: string;
  /**
   * Why this provider hands out an opaque token where a JWT is expected, and what to change: `doctor --token` says it
   * instead of suggesting AUTH_TOKEN_FORMAT=opaque (Better Auth: the client sent no `resource`).
   */
  opaqueTokenCause?: string;
}

/**
 * The broker mode of a preset (the MCP server is the authorization server its clients see, and signs users in at
 * this provider with ONE app registered there). Data only; the generated server reads it through `.env` and
 * `src/config.ts`, the generated README through the template context.
 */
export interface BrokerPreset {
  /** Broker mode unless `--no-broker`: the provider offers MCP clients no way to register (no DCR, no CIMD). */
  default: boolean;
  /** Scopes the broker asks the provider for, space-separated (AUTH_UPSTREAM_SCOPES): enough to identify a user. */
  upstreamScopes: string;
  /** How the user is identified: the verified ID token's `sub`, or a field of the provider's user API. */
  identity: 'id-token' | 'user-api';
  /** The user API's field holding the stable user id (`user-api` only). */
  userIdField?: string;
  /** Endpoints given by hand where the provider has no discovery (`user-api` upstreams). */
  endpoints?: { authorization: string; token: string; userinfo: string };
  /** An API the example upstream tool calls with the user's provider token (AUTH_UPSTREAM_PROFILE_URL). */
  profileUrl?: string;
  /** Extra authorization request parameters the provider needs (Google: refresh tokens only with access_type=offline). */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Console steps to register the ONE app at the provider, in order; `{callbackUrl}` is replaced. */
  setup: readonly string[];
  /** What the facts above rest on, with sources (shown in the README). */
  evidence: string;
  /** Inputs asked only in broker mode (plain OAuth 2: the endpoints), also recorded in `providerInputs`. */
  inputs?: readonly ProviderInput[];
  /** Why this provider works only in broker mode (the `--no-broker` refusal); absent: both modes work. */
  only?: string;
}

export interface ProviderPreset {
  /** Value of `--provider`. */
  id: string;
  /** Prompt title. */
  label: string;
  /** One line shown in prompts and `--help`. */
  hint: string;
  /** Which metadata document the generated server fetches first: OIDC discovery or RFC 8414. */
  discovery: 'oidc' | 'oauth';
  /** Where the provider serves it (the MCP client probe order reaches it either way). */
  metadataLocation: MetadataLocation;
  /**
   * How to serve the RFC 8414 document at the root path-inserted URL, where the provider serves it only under its
   * issuer path (`{issuer}/.well-known/oauth-authorization-server`, which no MCP client tries). `doctor` says it when
   * it finds the document only there.
   */
  metadataRoute?: string;
  /** Shown in the issuer prompt and in the missing-issuer error. */
  issuerExample: string;
  /** Issuer used when none is given; only presets that bring their own server have one. */
  defaultIssuer?: string;
  /** True when `npm run dev` also starts the embedded development authorization server. */
  devAuthServer: boolean;
  /** What to ask for (each also a flag). */
  inputs: readonly ProviderInput[];
  /** How to build the issuer from the inputs, byte for byte (`https://{domain}/`). Absent: ask for `--issuer`. */
  issuer?: string;
  audience: {
    /**
     * Default expected audience(s), templates over the inputs. Empty: the MCP server URL (RFC 8707 `resource`).
     * The MCP server URL is always accepted as well.
     */
    values: readonly string[];
    /** How to make the provider put that value in `aud` (README, doctor, refusal messages). */
    howTo: string;
    /**
     * The setting that lets dynamically registered clients ask for the MCP server URL as `resource`, where the
     * provider links resources to clients one by one (Better Auth). Present: `doctor` registers a probe client and
     * sends it an authorization request with `resource`, and names this setting when the provider answers
     * `invalid_target`.
     */
    perClient?: string;
  };
  token: TokenPreset;
  /** Scopes suggested when `--scopes` is not given (providers without custom scopes, Entra's full names); may use `{input}`. */
  defaultScopes?: string;
  /** How MCP clients can get a client id here. */
  registration: { dcr: Support; cimd: Support; note: string };
  /** Metadata lacks `code_challenge_methods_supported`: the metadata shim is on by default. */
  pkceFieldMissing?: boolean;
  /** RFC 8707 `resource` support (a hint `doctor` prints). */
  resourceIndicators: Support;
  /** What to change in the provider when its tokens are signed with a shared secret (HS256). */
  sharedSecretFix: string;
  /** Console steps for the generated README, in order. */
  setup: readonly string[];
  /** Facts the research could not confirm; the preset asks or accepts both forms for these. */
  uncertain: readonly string[];
  docs: readonly string[];
  /** Broker mode: the MCP server signs users in at this provider; absent where the provider cannot be an upstream. */
  broker?: BrokerPreset;
}
