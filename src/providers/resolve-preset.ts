/**
 * Preset + the user's inputs → the issuer and audience a project is generated with (its token rules: token-rules.ts).
 * Pure: no prompts, no I/O.
 * Templates are `{inputId}` placeholders; every input value was validated before it gets here.
 */
import type { ProviderInput, ProviderPreset } from './provider-preset.js';

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Replaces every `{id}` with `inputs[id]`; an input that is missing makes the result `undefined`. */
export function fillTemplate(template: string, inputs: Readonly<Record<string, string>>): string | undefined {
  let missing = false;
  const value = template.replace(PLACEHOLDER, (_match, id: string) => {
    const input = inputs[id];
    if (input === undefined || input === '') missing = true;
    return input ?? '';
  });
  return missing ? undefined : value;
}

/** The issuer a preset builds from its inputs, or `undefined` when the preset has no template (oidc, oauth, local). */
export function presetIssuer(preset: ProviderPreset, inputs: Readonly<Record<string, string>>): string | undefined {
  return preset.issuer === undefined ? undefined : fillTemplate(preset.issuer, inputs);
}

/**
 * The audience(s) a preset expects, comma-separated as `AUTH_AUDIENCE` takes them, or `undefined` when the MCP
 * server URL itself is the audience. Id lists (`a,b`) stay lists. The MCP server URL is always accepted too.
 */
export function presetAudience(preset: ProviderPreset, inputs: Readonly<Record<string, string>>): string | undefined {
  const values = preset.audience.values
    .map((template) => fillTemplate(template, inputs))
    .flatMap((value) => (value ? value.split(',').map((part) => part.trim()) : []))
    .filter(Boolean);
  return values.length > 0 ? [...new Set(values)].join(',') : undefined;
}

/** Fills `{input}` placeholders in prose (README steps), leaving unknown ones as written. */
export function fillText(text: string, inputs: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (match, id: string) => inputs[id] || match);
}


/**
 * The inputs a project asks for. A resource server: the preset's. A broker: only those its issuer is built from
 * (the others name the provider's `aud`, which the broker's own tokens do not use) plus the broker's own
 * (plain OAuth 2: the endpoints). The client id and secret of the broker's app are never inputs: they go in `.env`.
 */
export function inputsFor(preset: ProviderPreset, broker: boolean): readonly ProviderInput[] {
  if (!broker) return preset.inputs;
  const issuerTemplate = preset.issuer ?? '';
  return [...preset.inputs.filter((input) => issuerTemplate.includes(`{${input.id}}`)), ...(preset.broker?.inputs ?? [])];
}
