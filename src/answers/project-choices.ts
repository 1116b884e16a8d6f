/**
 * The answers that pick optional parts of a project: broker or resource server, the access token format (opaque
 * tokens bring the introspection layer) and the metadata shim. An answers file written before they existed
 * (without them) renders exactly as before: no broker, the preset's format and shim. Pure.
 */
import { CliError } from '../errors.js';
import { getProvider, type ProviderId } from '../providers/index.js';
import type { StackChoice } from '../stack/stack-choice.js';
import { getRuntime, runtimes, type RuntimeChoice, type RuntimeId } from '../stack/runtimes.js';
import type { FrameworkId } from '../stack/frameworks.js';
import type { TransportId } from '../stack/transports.js';
import type { Answers } from './answers.js';
import type { RawAnswers } from './flags.js';

export const tokenFormats = [
  { id: 'jwt', label: 'JWT', hint: 'checked locally against the provider\'s JWKS' },
  { id: 'opaque', label: 'Opaque', hint: 'checked by RFC 7662 introspection at the provider (Google: tokeninfo)' },
] as const satisfies readonly StackChoice[];

export type TokenFormat = (typeof tokenFormats)[number]['id'];

export interface ProjectChoices {
  tokenFormat: TokenFormat;
  metadataShim: boolean;
  /** The server is the authorization server its clients see and signs users in at the provider (broker mode). */
  broker: boolean;
}

/** What the preset chooses: its usual token format, and the shim where its metadata omits the PKCE field. */
export function presetChoices(provider: ProviderId): ProjectChoices {
  const preset = getProvider(provider);
  return { tokenFormat: preset.token.format, metadataShim: preset.pkceFieldMissing === true, broker: preset.broker?.default === true };
}

/** What a broker project's choices are: its own JWTs, its own metadata (the provider's format and shim do not apply). */
const BROKER_CHOICES: ProjectChoices = { tokenFormat: 'jwt', metadataShim: false, broker: true };

/**
 * The project's choices: the recorded ones, the preset's where none is recorded; no `broker` recorded means a
 * resource server (projects from before broker mode stay what they are).
 */
export function resolveChoices(answers: { provider: ProviderId; tokenFormat?: TokenFormat | undefined; metadataShim?: boolean | undefined; broker?: boolean | undefined }): ProjectChoices {
  if (answers.broker === true) return BROKER_CHOICES;
  const defaults = presetChoices(answers.provider);
  return { tokenFormat: answers.tokenFormat ?? defaults.tokenFormat, metadataShim: answers.metadataShim ?? defaults.metadataShim, broker: false };
}

/** Why `provider` cannot be generated with `broker` (on or off), or undefined when it can. */
export function brokerProblem(provider: ProviderId, broker: boolean): string | undefined {
  const preset = getProvider(provider);
  if (broker && preset.broker === undefined) {
    const why = preset.devAuthServer
      ? 'its development server is the authorization server already'
      : 'it has no OpenID issuer to sign users in with (use --provider oidc or --provider oauth with its endpoints)';
    return `--broker does not work with --provider ${provider}: ${why}`;
  }
  if (!broker && preset.broker?.only !== undefined) return `--no-broker does not work with --provider ${provider}: ${preset.broker.only}`;
  return undefined;
}

/** Refuses a broker choice the provider cannot serve, with the reason; returns it otherwise. */
export function validateBrokerFor(provider: ProviderId, broker: boolean): boolean {
  const problem = brokerProblem(provider, broker);
  if (problem) throw new CliError('invalid_answer', problem);
  return broker;
}

/**
 * Resource-server answers that mean nothing to a broker, each refused with the reason rather than ignored: the
 * broker issues its own JWT access tokens (`aud` = the MCP server URL) and serves its own metadata.
 */
export function brokerConflict(raw: Pick<RawAnswers, 'tokenFormat' | 'metadataShim' | 'audience' | 'metadataUrl' | 'jwksUri'>): string | undefined {
  if (raw.tokenFormat === 'opaque') return '--token-format opaque does not work with --broker: the broker issues its own JWT access tokens and checks them itself (drop --token-format, or use --no-broker)';
  if (raw.metadataShim === true) return '--metadata-shim does not work with --broker: the broker serves its own authorization server metadata (drop --metadata-shim, or use --no-broker)';
  if ((raw.metadataUrl ?? '') !== '' || (raw.jwksUri ?? '') !== '') return '--metadata-url and --jwks-uri do not work with --broker: the broker finds the provider itself (OpenID discovery, or the endpoints given with --provider oauth); drop them, or use --no-broker';
  if (raw.audience !== undefined) return '--audience does not work with --broker: the broker\'s tokens always carry the MCP server URL as `aud` (drop --audience, or use --no-broker)';
  return undefined;
}

/** Why `format` cannot work with `provider` (the preset's `unsupportedFormats`), or undefined when it can. */
export function tokenFormatProblem(provider: ProviderId, format: TokenFormat): string | undefined {
  const why = getProvider(provider).token.unsupportedFormats?.[format];
  return why === undefined ? undefined : `--token-format ${format} does not work with --provider ${provider}: ${why}`;
}

/** Refuses a token format the provider cannot serve, with the reason; returns it otherwise. */
export function validateTokenFormatFor(provider: ProviderId, format: TokenFormat): TokenFormat {
  const problem = tokenFormatProblem(provider, format);
  if (problem) throw new CliError('invalid_answer', problem);
  return format;
}

/** The stack a runtime is asked to serve; a part not chosen yet is not checked. */
export interface RuntimeStack {
  framework?: FrameworkId | undefined;
  transport?: TransportId | undefined;
  broker?: boolean | undefined;
}

/** Why `runtime` cannot serve this stack (the runtimes table says what each serves), or undefined when it can. */
export function runtimeProblem(runtime: RuntimeId, stack: RuntimeStack): string | undefined {
  const row = getRuntime(runtime);
  const refuse = (what: string) => `${what} does not run on --runtime ${runtime}: ${row.why}`;
  if (stack.framework !== undefined && !row.frameworks.includes(stack.framework)) return refuse(`--framework ${stack.framework}`);
  if (stack.transport !== undefined && !row.transports.includes(stack.transport)) return refuse(`--transport ${stack.transport}`);
  if (stack.broker === true && !row.broker) return `broker mode does not run on --runtime ${runtime}: ${row.why}; use --no-broker for a resource server`;
  return undefined;
}

/** The runtimes that can serve the stack, in table order (what the runtime prompt offers). */
export function runtimesFor(stack: RuntimeStack): RuntimeChoice[] {
  return runtimes.filter((runtime) => runtimeProblem(runtime.id, stack) === undefined);
}

/** Refuses a runtime that cannot serve the stack, with the reason; returns it otherwise. */
export function validateRuntimeFor(runtime: RuntimeId, stack: RuntimeStack): RuntimeId {
  const problem = runtimeProblem(runtime, stack);
  if (problem) throw new CliError('invalid_answer', problem);
  return runtime;
}

type ChoiceAnswers = Pick<Answers, 'provider' | 'tokenFormat' | 'metadataShim' | 'broker' | 'runtime'>;

/**
 * The choices an answers file records, as flag values for `update` (which re-validates them with the new flags).
 * `broker` is always given (absent means false), so an update never turns an old project into a broker by default.
 */
export function recordedChoices(answers: ChoiceAnswers): Pick<RawAnswers, 'tokenFormat' | 'metadataShim' | 'broker'> {
  return {
    ...(answers.tokenFormat !== undefined ? { tokenFormat: answers.tokenFormat } : {}),
    ...(answers.metadataShim !== undefined ? { metadataShim: answers.metadataShim } : {}),
    broker: answers.broker ?? false,
  };
}

/**
 * `update` of an answers file from before these answers: a choice it does not record stays unrecorded (it means the
 * preset's) unless a flag sets it or the provider changes, so an update that changes nothing writes nothing.
 */
export function keepUnrecordedChoices<A extends ChoiceAnswers>(recorded: ChoiceAnswers, next: A, flags: RawAnswers): A {
  const kept = { ...next };
  // The runtime does not depend on the provider: a file without it stays without it (it means node).
  if (recorded.runtime === undefined && flags.runtime === undefined) delete kept.runtime;
  if (next.provider !== recorded.provider) return kept;
  if (recorded.tokenFormat === undefined && flags.tokenFormat === undefined) delete kept.tokenFormat;
  if (recorded.metadataShim === undefined && flags.metadataShim === undefined) delete kept.metadataShim;
  if (recorded.broker === undefined && flags.broker === undefined) delete kept.broker;
  return kept;
}
