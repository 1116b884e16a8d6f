/**
 * `defineProvider(spec)`: one provider file's data → a complete, frozen preset. The spec leaves out what most
 * providers share (defaults below), so each file states only what is particular to its provider.
 */
import type { ProviderPreset, TokenPreset } from './provider-preset.js';

/** Fields a spec may leave out, with the value most providers have. */
const PRESET_DEFAULTS = {
  discovery: 'oidc',
  devAuthServer: false,
  inputs: [],
  setup: [],
  uncertain: [],
} as const satisfies Partial<ProviderPreset>;

/** Token fields a spec may leave out: tokens are JWTs unless the provider issues opaque ones by default. */
const TOKEN_DEFAULTS = { format: 'jwt' } as const satisfies Partial<TokenPreset>;

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** What a provider file writes: a preset whose defaulted fields may be left out. */
export type ProviderSpec<Id extends string = string> = Optional<
  Omit<ProviderPreset, 'id' | 'token'>,
  keyof typeof PRESET_DEFAULTS
> & { id: Id; token: Optional<TokenPreset, keyof typeof TOKEN_DEFAULTS> };

/** A preset as every consumer reads it: all fields present, its id a literal type (for `ProviderId`). */
export type DefinedProvider<Id extends string = string> = Readonly<ProviderPreset & { id: Id }>;

/** Freezes `value` and everything reachable from it, so no consumer can change a preset another one reads. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Applies the defaults to a provider file's spec and freezes the result. Fields the spec leaves out are filled, and
 * no other field is added: an optional field the spec omits (`defaultIssuer`, `pkceFieldMissing`) stays absent.
 *
 * @example
 * export default defineProvider({ id: 'acme', label: 'Acme', hint: '…', metadataLocation: 'root', … });
 */
export function defineProvider<const Id extends string>(spec: ProviderSpec<Id>): DefinedProvider<Id> {
  const preset: ProviderPreset & { id: Id } = {
    ...PRESET_DEFAULTS,
    ...spec,
    token: { ...TOKEN_DEFAULTS, ...spec.token },
  };
  return deepFreeze(preset);
}
