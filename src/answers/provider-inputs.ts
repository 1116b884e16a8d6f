/**
 * Per-preset inputs (`--auth0-domain`, `--keycloak-realm`, …): one validator per input kind, shared by flags,
 * prompts and the answers file. Pure.
 */
import { CliError, quoteValue } from '../errors.js';
import type { ProviderInput } from '../providers/provider-preset.js';
import { providers } from '../providers/index.js';
import { inputsFor } from '../providers/resolve-preset.js';
import { describeUserTextProblem, userTextProblem } from './user-text.js';
import { validateAudience, validateIssuer } from './validate.js';

const HOST = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const SEGMENT = /^[A-Za-z0-9._~-]{1,200}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

function invalid(input: ProviderInput, problem: string, raw: string): CliError {
  return new CliError('invalid_answer', `--${input.flag} ${problem} (got ${quoteValue(raw)}; e.g. ${input.example})`);
}

/** Checks one input's raw text and returns the value to store; throws CliError('invalid_answer') naming the flag. */
export function validateProviderInput(input: ProviderInput, raw: string): string {
  const textProblem = userTextProblem(raw);
  if (textProblem) throw invalid(input, describeUserTextProblem(textProblem), raw);
  const value = raw.trim();
  if (value === '') {
    if (input.default !== undefined) return input.default;
    throw invalid(input, 'must not be empty', raw);
  }
  switch (input.kind) {
    case 'host':
      if (/^[a-z]+:\/\//i.test(value)) throw invalid(input, 'is a host name: leave out https:// and any path', raw);
      if (!HOST.test(value)) throw invalid(input, 'must be a host name', raw);
      return value;
    case 'url':
      try {
        return validateIssuer(value); // an absolute URL: https (http only on loopback), no query, fragment or credentials
      } catch (error) {
        throw invalid(input, (error as Error).message.replace(/^issuer /, '').replace(/ \(got .*\)$/, ''), raw);
      }
    case 'base-url': {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      if (!url) throw invalid(input, 'must be an absolute URL', raw);
      if (value.endsWith('/')) throw invalid(input, 'must not end with "/"', raw);
      try {
        validateIssuer(value); // https (http only on loopback), no query, fragment or credentials
      } catch (error) {
        throw invalid(input, (error as Error).message.replace(/^issuer /, '').replace(/ \(got .*\)$/, ''), raw);
      }
      return value;
    }
    case 'issuer':
      try {
        return validateIssuer(value);
      } catch (error) {
        throw invalid(input, (error as Error).message.replace(/^issuer /, '').replace(/ \(got .*\)$/, ''), raw);
      }
    case 'segment':
      if (!SEGMENT.test(value)) throw invalid(input, 'may only contain letters, digits, ".", "_", "~" and "-"', raw);
      return value;
    case 'uuid':
      if (!UUID.test(value)) throw invalid(input, 'must be a GUID like 00000000-0000-0000-0000-000000000000', raw);
      return value.toLowerCase();
    case 'aws-region':
      if (!AWS_REGION.test(value)) throw invalid(input, 'must be an AWS region like us-east-1', raw);
      return value;
    case 'id-list': {
      const ids = value.split(',').map((id) => id.trim());
      if (ids.some((id) => !SEGMENT.test(id))) throw invalid(input, 'must be a comma-separated list of ids (letters, digits, ".", "_", "~", "-")', raw);
      return [...new Set(ids)].join(',');
    }
    case 'audience':
      return validateAudience(value) ?? '';
    case 'path':
      if (!PATH.test(value)) throw invalid(input, 'must be a path like /api/auth (leading "/", no trailing "/")', raw);
      return value;
    case 'choice':
      if (!input.choices?.includes(value)) throw invalid(input, `must be one of ${input.choices?.join(', ')}`, raw);
      return value;
  }
}

/** Every preset input flag, with the preset it belongs to (flags are unique across presets). */
export const providerInputFlags: readonly { providerId: string; input: ProviderInput; brokerOnly?: true }[] = providers.flatMap((provider) => [
  ...provider.inputs.map((input) => ({ providerId: provider.id, input })),
  ...(provider.broker?.inputs ?? []).map((input) => ({ providerId: provider.id, input, brokerOnly: true as const })),
]);

/**
 * Validates a whole record against a preset (the answers file): unknown keys and invalid values fail. Inputs may be
 * absent: an explicit `--issuer` replaces the template that needed them. A broker keeps only the inputs it uses.
 */
export function validateProviderInputs(providerId: string, record: Readonly<Record<string, string>>, broker = false): Record<string, string> {
  const provider = providers.find((p) => p.id === providerId);
  if (!provider) throw new CliError('invalid_answer', `unknown provider ${quoteValue(providerId)}`);
  const inputs = inputsFor(provider, broker);
  const result: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record)) {
    const input = inputs.find((candidate) => candidate.id === key);
    if (!input) throw new CliError('invalid_answer', `provider ${providerId} has no input ${quoteValue(key)}`);
    result[key] = validateProviderInput(input, raw);
  }
  return result;
}
