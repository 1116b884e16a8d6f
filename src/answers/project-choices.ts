/**
 * The two answers that pick optional parts of a project: the access token format (opaque tokens bring the
 * introspection layer) and the metadata shim. Each defaults to what the provider preset says, so an answers file
 * written before they existed (without them) means the preset's choice and renders exactly as before. Pure.
 */
import { CliError } from '../errors.js';
import { getProvider, type ProviderId } from '../providers/index.js';
import type { StackChoice } from '../stack/stack-choice.js';
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
}

/** What the preset chooses: its usual token format, and the shim where its metadata omits the PKCE field. */
export function presetChoices(provider: ProviderId): ProjectChoices {
  const preset = getProvider(provider);
  return { tokenFormat: preset.token.format, metadataShim: preset.pkceFieldMissing === true };
}

/** The project's choices: the recorded ones, the preset's where none is recorded. */
export function resolveChoices(answers: { provider: ProviderId; tokenFormat?: TokenFormat | undefined; metadataShim?: boolean | undefined }): ProjectChoices {
  const defaults = presetChoices(answers.provider);
  return { tokenFormat: answers.tokenFormat ?? defaults.tokenFormat, metadataShim: answers.metadataShim ?? defaults.metadataShim };
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

type ChoiceAnswers = Pick<Answers, 'provider' | 'tokenFormat' | 'metadataShim'>;

/** The choices an answers file records, as flag values for `update` (which re-validates them with the new flags). */
export function recordedChoices(answers: ChoiceAnswers): Pick<RawAnswers, 'tokenFormat' | 'metadataShim'> {
  return {
    ...(answers.tokenFormat !== undefined ? { tokenFormat: answers.tokenFormat } : {}),
    ...(answers.metadataShim !== undefined ? { metadataShim: answers.metadataShim } : {}),
  };
}

/**
 * `update` of an answers file from before these answers: a choice it does not record stays unrecorded (it means the
 * preset's) unless a flag sets it or the provider changes, so an update that changes nothing writes nothing.
 */
export function keepUnrecordedChoices<A extends ChoiceAnswers>(recorded: ChoiceAnswers, next: A, flags: RawAnswers): A {
  if (next.provider !== recorded.provider) return next;
  const kept = { ...next };
  if (recorded.tokenFormat === undefined && flags.tokenFormat === undefined) delete kept.tokenFormat;
  if (recorded.metadataShim === undefined && flags.metadataShim === undefined) delete kept.metadataShim;
  return kept;
}
