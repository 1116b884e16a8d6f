/**
 * Step 1 of `create`: flags → prompts for what is missing → defaults → one validated `Answers`.
 * Precedence is prompt > flag > default, but prompts only ask what no flag answered. Without a TTY (or with
 * --yes) nothing is asked, and a required answer with no default is one error that names the flag to pass.
 */
import { CliError } from '../errors.js';
import { detectPackageManager } from '../install/package-managers.js';
import { getProvider, type ProviderId } from '../providers/index.js';
import { fillText, inputsFor, presetAudience, presetIssuer } from '../providers/resolve-preset.js';
import { providerInputFlags, validateProviderInput, validateProviderInputs } from './provider-inputs.js';
import type { Answers } from './answers.js';
import { answerDefaults } from './defaults.js';
import type { RawAnswers } from './flags.js';
import { packageNameFor } from './package-name.js';
import { brokerConflict, presetChoices, validateBrokerFor, validateRuntimeFor, validateTokenFormatFor } from './project-choices.js';
import { collectManualDiscovery } from './manual-discovery.js';
import type { RawProjectAnswers } from './prompts.js';
import {
  validateAudience,
  validateFramework,
  validateIssuer,
  validatePackageManager,
  validateProjectName,
  validateProvider,
  validateRuntime,
  validateScopes,
  validateTargetDir,
  validateTokenFormat,
  validateTransport,
} from './validate.js';

export interface CollectInput {
  /** The positional [dir], when given. */
  dir?: string;
  /** Flag values, unvalidated. */
  flags: RawAnswers;
  /** Ask in the terminal for what is missing (stdin and stdout are TTYs and no --yes). */
  interactive: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The prompter; defaults to the terminal prompts (loaded lazily so --help stays fast). */
  ask?: (known: RawProjectAnswers, cwd: string) => Promise<RawProjectAnswers>;
}

export interface CollectedAnswers {
  answers: Answers;
  /** The target directory as the user typed it (relative to cwd). */
  targetDir: string;
}

/** Validates every raw value that is present; throws on the first invalid one. */
function validateRaw(raw: RawProjectAnswers, cwd: string): void {
  if (raw.dir !== undefined) validateProjectName(packageNameFor(validateTargetDir(raw.dir), cwd));
  if (raw.framework !== undefined) validateFramework(raw.framework);
  if (raw.transport !== undefined) validateTransport(raw.transport);
  if (raw.scopes !== undefined) validateScopes(raw.scopes);
  if (raw.issuer !== undefined) validateIssuer(raw.issuer);
  if (raw.audience !== undefined) validateAudience(raw.audience);
  if (raw.packageManager !== undefined) validatePackageManager(raw.packageManager);
  // Broker mode as typed, else the preset's (known once the provider is): a broker has no provider token format.
  const provider = raw.provider === undefined ? undefined : validateProvider(raw.provider);
  const broker = raw.broker ?? (provider === undefined ? undefined : presetChoices(provider).broker);
  if (raw.broker !== undefined && provider !== undefined) validateBrokerFor(provider, raw.broker);
  if (broker === true) {
    const conflict = brokerConflict(raw);
    if (conflict) throw new CliError('invalid_argument', conflict);
  }
  if (raw.runtime !== undefined) {
    // Only what is chosen so far: a prompt may still pick the framework or transport the runtime needs.
    validateRuntimeFor(validateRuntime(raw.runtime), {
      framework: raw.framework === undefined ? undefined : validateFramework(raw.framework),
      transport: raw.transport === undefined ? undefined : validateTransport(raw.transport),
      broker,
    });
  }
  if (raw.tokenFormat !== undefined) {
    const format = validateTokenFormat(raw.tokenFormat);
    if (provider !== undefined && broker !== true) validateTokenFormatFor(provider, format);
  }
  for (const [flag, value] of Object.entries(raw.providerInputs ?? {})) {
    const owner = providerInputFlags.find((entry) => entry.input.flag === flag);
    if (!owner) throw new CliError('invalid_argument', `unknown flag --${flag}; see --help`);
    if (raw.provider !== undefined && owner.providerId !== raw.provider) {
      throw new CliError('invalid_argument', `--${flag} belongs to --provider ${owner.providerId}, not ${raw.provider}`);
    }
    validateProviderInput(owner.input, value);
  }
}

/**
 * The preset's inputs by input id: flag or prompt value, else the input's default; a required input that is still
 * missing is one error naming every flag to pass. A broker asks only for the inputs it uses (`inputsFor`): the
 * others, given anyway (an `update --broker` of a resource server), are left out; a broker-only input given to a
 * resource server is refused.
 */
function collectProviderInputs(provider: ProviderId, raw: RawProjectAnswers, broker: boolean): Record<string, string> {
  const preset = getProvider(provider);
  const inputs: Record<string, string> = {};
  const missing: string[] = [];
  if (!broker) {
    const brokerOnly = (preset.broker?.inputs ?? []).find((input) => raw.providerInputs?.[input.flag] !== undefined);
    if (brokerOnly) throw new CliError('invalid_argument', `--${brokerOnly.flag} is for broker mode: add --broker`);
  }
  for (const input of inputsFor(preset, broker)) {
    const value = raw.providerInputs?.[input.flag];
    if (value !== undefined) inputs[input.id] = validateProviderInput(input, value);
    else if (input.default !== undefined) inputs[input.id] = input.default;
    else if (raw.issuer === undefined || preset.broker?.inputs?.includes(input)) missing.push(`--${input.flag} <${input.kind}> (e.g. ${input.example})`);
  }
  // Defaults may name other inputs (Entra's App ID URI defaults to api://{clientId}).
  for (const [id, value] of Object.entries(inputs)) if (value.includes('{')) inputs[id] = fillText(value, inputs);
  // An explicit --issuer replaces the preset's template, so its inputs are not needed then (a broker's own still are).
  if (missing.length > 0) {
    throw new CliError(
      'missing_answer',
      `--provider ${provider} needs ${missing.join(', ')}, or run in a terminal without --yes to be asked`,
    );
  }
  return inputs;
}

/** The preset's suggested scopes with its inputs filled in; `undefined` when it has none or an input is missing. */
function presetScopes(template: string | undefined, inputs: Record<string, string>): string | undefined {
  const scopes = template === undefined ? undefined : fillText(template, inputs);
  return scopes?.includes('{') ? undefined : scopes;
}

export async function collectAnswers(input: CollectInput): Promise<CollectedAnswers> {
  const given: RawProjectAnswers = { ...input.flags, ...(input.dir !== undefined ? { dir: input.dir } : {}) };
  validateRaw(given, input.cwd); // fail before asking anything
  collectManualDiscovery(given);

  let prompted: RawProjectAnswers = {};
  if (input.interactive) {
    const ask = input.ask ?? (await import('./prompts.js')).askForMissing;
    prompted = await ask(given, input.cwd);
    validateRaw(prompted, input.cwd);
  }
  const raw: RawProjectAnswers = {
    ...given,
    ...prompted,
    providerInputs: { ...given.providerInputs, ...prompted.providerInputs },
  };

  const targetDir = raw.dir ?? answerDefaults.projectName;
  const provider = validateProvider(raw.provider ?? answerDefaults.provider);
  const preset = getProvider(provider);
  const defaults = presetChoices(provider);
  const broker = validateBrokerFor(provider, raw.broker ?? defaults.broker);
  const conflict = broker ? brokerConflict(raw) : undefined;
  if (conflict) throw new CliError('invalid_argument', conflict);
  const providerInputs = collectProviderInputs(provider, raw, broker);
  // A plain OAuth 2 upstream has no issuer of its own: the origin of its authorization endpoint labels it.
  const endpointOrigin = broker && providerInputs['authorizationUrl'] ? new URL(providerInputs['authorizationUrl']).origin : undefined;
  const issuer = raw.issuer ?? presetIssuer(preset, providerInputs) ?? preset.defaultIssuer ?? endpointOrigin;
  if (issuer === undefined) {
    throw new CliError(
      'missing_answer',
      `--provider ${provider} needs an issuer: pass --issuer <url> (e.g. --issuer ${getProvider(provider).issuerExample})` +
        ' and optionally --audience <string>, or run in a terminal without --yes to be asked',
    );
  }
  // A broker's tokens are its own (`aud` = the MCP server URL, JWTs, its own metadata): none of these apply.
  const audience = broker ? undefined : raw.audience === undefined ? presetAudience(preset, providerInputs) : validateAudience(raw.audience);
  const tokenFormat = broker ? undefined : validateTokenFormatFor(provider, raw.tokenFormat === undefined ? defaults.tokenFormat : validateTokenFormat(raw.tokenFormat));
  // Every field is validated above, by the same validators the answers-file schema runs (zod stays off this path).
  if (Object.keys(providerInputs).length > 0) validateProviderInputs(provider, providerInputs, broker);
  // A broker issues tokens for this server's own scopes; a provider's suggested scopes name its tokens, not these.
  const suggestedScopes = broker ? undefined : presetScopes(preset.defaultScopes, providerInputs);
  const framework = validateFramework(raw.framework ?? answerDefaults.framework);
  const transport = validateTransport(raw.transport ?? answerDefaults.transport);
  const runtime = validateRuntimeFor(validateRuntime(raw.runtime ?? answerDefaults.runtime), { framework, transport, broker });
  const answers: Answers = {
    projectName: validateProjectName(packageNameFor(targetDir, input.cwd)),
    provider,
    framework,
    transport,
    runtime,
    scopes: validateScopes(raw.scopes ?? suggestedScopes ?? answerDefaults.scopes),
    issuer: validateIssuer(issuer),
    ...(audience !== undefined ? { audience } : {}),
    // Recorded even when they are the preset's, so the answers file states the choice (a broker has neither).
    ...(tokenFormat !== undefined ? { tokenFormat, metadataShim: raw.metadataShim ?? defaults.metadataShim } : {}),
    broker,
    packageManager: validatePackageManager(
      raw.packageManager ?? detectPackageManager(input.env['npm_config_user_agent']),
    ),
    ...(Object.keys(providerInputs).length > 0 ? { providerInputs } : {}),
    // Only when given: projects with standard discovery record nothing.
    ...collectManualDiscovery(raw),
  };
  return { answers, targetDir };
}
