/**
 * The token rules a generated server enforces, computed once: `provider.ts.ejs` renders this object as data and
 * `doctor` checks sample tokens with the same object, so the two cannot drift apart. Pure.
 */
import type { TokenRules as ServerTokenRules } from '../../templates/auth/src/auth/token-claims.js';
import type { ProviderPreset } from './provider-preset.js';
import { fillTemplate, fillText } from './resolve-preset.js';

/**
 * `TokenRules` of the generated server (templates/auth/src/auth/token-claims.ts), as this generator produces it:
 * the preset's claims with the standard ones appended, the `{input}` templates filled, and what to change in the
 * provider for each kind of refusal (always an audience and a shared-secret hint).
 */
export type TokenRules = ServerTokenRules & { hints: { audience: string; issuer?: string; sharedSecret: string } };

/** The RFC 9068 `scope` and the common `scp` are always read for scopes, after the preset's own claims. */
const STANDARD_SCOPE_CLAIMS = ['scope', 'scp'];
/** The RFC 9068 `client_id` is always tried for the client id, last. */
const STANDARD_CLIENT_ID_CLAIMS = ['client_id'];

const appendNew = (own: readonly string[], standard: readonly string[]) => [...new Set([...own, ...standard])];
const nonEmpty = (list: readonly string[] | undefined) => (list && list.length > 0 ? list : undefined);

/**
 * The rules for `preset` with this project's provider inputs. Optional rules the preset does not set are left out
 * (not `undefined`), so the rendered object lists only what applies. An extra issuer or a scope prefix whose
 * `{input}` has no value (a project generated with an explicit `--issuer` instead of the inputs) is left out: no
 * real token carries the placeholder.
 *
 * @example
 * tokenRulesFor(getProvider('stytch'), { projectId: 'project-1', projectDomain: 'https://x.example' }).extraIssuers
 * // ['stytch.com/project-1']
 */
export function tokenRulesFor(preset: ProviderPreset, inputs: Readonly<Record<string, string>>): TokenRules {
  const t = preset.token;
  const permissionClaims = nonEmpty(t.permissionClaims);
  const forbiddenClaims = nonEmpty(t.forbiddenClaims);
  const scopePrefix = t.scopePrefix === undefined ? undefined : fillText(t.scopePrefix, inputs);
  const extraIssuers = nonEmpty((t.extraIssuers ?? []).flatMap((template) => fillTemplate(template, inputs) ?? []));
  return {
    scopeClaims: appendNew(t.scopeClaims, STANDARD_SCOPE_CLAIMS),
    ...(permissionClaims ? { permissionClaims } : {}),
    clientIdClaims: appendNew(t.clientIdClaims, STANDARD_CLIENT_ID_CLAIMS),
    ...(forbiddenClaims ? { forbiddenClaims } : {}),
    algorithms: t.algorithms,
    ...(t.requiredTyp ? { requiredTyp: t.requiredTyp } : {}),
    ...(t.requiredClaims ? { requiredClaims: t.requiredClaims } : {}),
    ...(t.audienceFallbackClaims ? { audienceFallbackClaims: t.audienceFallbackClaims } : {}),
    ...(t.audience ? { audience: t.audience } : {}),
    ...(t.requireClientId ? { requireClientId: true } : {}),
    ...(scopePrefix && !scopePrefix.includes('{') ? { scopePrefix } : {}),
    ...(extraIssuers ? { extraIssuers } : {}),
    hints: {
      audience: preset.audience.howTo,
      ...(t.issuerHint ? { issuer: t.issuerHint } : {}),
      sharedSecret: preset.sharedSecretFix,
    },
  };
}
