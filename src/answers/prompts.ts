/**
 * Asks, in a terminal, for the answers no flag gave. Returns raw text: the caller validates prompt answers with
 * the same validators as flags (the prompts below also run them, to re-ask instead of failing).
 * Never called without a TTY.
 */
import type { PromptObject } from 'prompts';
import { CliError } from '../errors.js';
import { frameworks, type FrameworkId } from '../stack/frameworks.js';
import { getProvider, providers, type ProviderId } from '../providers/index.js';
import { transports, type TransportId } from '../stack/transports.js';
import { runtimesFor } from './project-choices.js';
import { answerDefaults } from './defaults.js';
import type { RawAnswers } from './flags.js';
import { packageNameFor } from './package-name.js';
import { providerInputFlags, validateProviderInput } from './provider-inputs.js';
import { inputsFor } from '../providers/resolve-preset.js';
import {
  validateAudience,
  validateIssuer,
  validateProjectName,
  validateScopes,
  validateTargetDir,
} from './validate.js';

export type RawProjectAnswers = RawAnswers & { dir?: string };

/** Prompt answers for preset inputs are named `input:<flag>` and folded into `providerInputs`. */
const INPUT_PREFIX = 'input:';

/** A prompts `validate` callback from a throwing validator: true, or the validator's sentence. */
function asPromptCheck(validate: (raw: string) => unknown) {
  return (raw: string) => {
    try {
      validate(raw);
      return true;
    } catch (error) {
      return error instanceof CliError ? error.message : String(error);
    }
  };
}

function select<Row extends { id: string; label: string; hint: string }>(
  name: keyof RawAnswers,
  message: string,
  rows: readonly Row[],
  initialId: string,
  skip: boolean,
): PromptObject {
  return {
    type: skip ? null : 'select',
    name,
    message,
    choices: rows.map((row) => ({ title: row.label, description: row.hint, value: row.id })),
    initial: Math.max(0, rows.findIndex((row) => row.id === initialId)),
  };
}

/** Prompts for every answer missing from `known` (already validated flags); Ctrl-C throws CliError('cancelled'). */
export async function askForMissing(known: RawProjectAnswers, cwd: string): Promise<RawProjectAnswers> {
  const providerOf = (values: RawProjectAnswers) => getProvider((known.provider ?? values.provider) as ProviderId);
  // Broker mode as answered (flag or prompt), else the preset's default (the only choice where `broker.only`).
  const brokerOf = (values: RawProjectAnswers) => known.broker ?? values.broker ?? providerOf(values).broker?.default === true;
  const questions: PromptObject[] = [
    {
      type: known.dir === undefined ? 'text' : null,
      name: 'dir',
      message: 'Project name',
      initial: answerDefaults.projectName,
      validate: asPromptCheck((raw) => validateProjectName(packageNameFor(validateTargetDir(raw), cwd))),
    },
    select('provider', 'Authorization server', providers, answerDefaults.provider, known.provider !== undefined),
    {
      // Only presets that can be either: a broker-only preset (GitHub) or one without broker mode has nothing to ask.
      type: (_prev, values) => {
        const preset = providerOf(values);
        return known.broker === undefined && preset.broker !== undefined && preset.broker.only === undefined ? 'toggle' : null;
      },
      name: 'broker',
      message: (_prev, values) => `Sign users in through ${providerOf(values).label} in this server (broker mode: MCP clients need no registration at the provider)?`,
      initial: (_prev, values) => providerOf(values).broker?.default === true,
      active: 'yes, broker',
      inactive: 'no, resource server only',
    },
    select('framework', 'HTTP framework', frameworks, answerDefaults.framework, known.framework !== undefined),
    select('transport', 'MCP transport', transports, answerDefaults.transport, known.transport !== undefined),
    {
      // Only the runtimes that can serve what was chosen above (the runtimes table says which).
      type: known.runtime === undefined ? 'select' : null,
      name: 'runtime',
      message: 'Runtime',
      choices: (_prev, values) => {
        const stack = {
          framework: (known.framework ?? values.framework) as FrameworkId,
          transport: (known.transport ?? values.transport) as TransportId,
          broker: brokerOf(values),
        };
        return runtimesFor(stack).map((runtime) => ({ title: runtime.label, description: runtime.hint, value: runtime.id }));
      },
      initial: 0,
    },
    {
      type: known.scopes === undefined ? 'text' : null,
      name: 'scopes',
      message: 'Scopes, comma-separated (first = read tools, second = write tools)',
      initial: answerDefaults.scopes,
      validate: asPromptCheck(validateScopes),
    },
    // One question per preset input, asked only for the chosen preset and only when no flag gave it.
    // A broker asks only for the inputs it uses (see inputsFor), and for its own even when --issuer is given.
    ...providerInputFlags.map(({ providerId, input, brokerOnly }): PromptObject => ({
      type: (_prev, values) =>
        (known.provider ?? values.provider) === providerId &&
        inputsFor(providerOf(values), brokerOf(values)).includes(input) &&
        known.providerInputs?.[input.flag] === undefined &&
        (known.issuer === undefined || brokerOnly === true)
          ? 'text'
          : null,
      name: `${INPUT_PREFIX}${input.flag}`,
      message: `${input.label} (e.g. ${input.example})`,
      initial: input.default ?? '',
      validate: asPromptCheck((raw) => validateProviderInput(input, raw)),
    })),
    {
      // Presets that bring their own server (local) or build it from their inputs already know their issuer.
      // A plain OAuth 2 upstream of a broker is labelled by its authorization endpoint's origin instead.
      type: (_prev, values) =>
        known.issuer !== undefined || providerOf(values).defaultIssuer || providerOf(values).issuer || (brokerOf(values) && providerOf(values).broker?.endpoints)
          ? null
          : 'text',
      name: 'issuer',
      message: (_prev, values) => `Issuer URL (e.g. ${providerOf(values).issuerExample})`,
      validate: asPromptCheck(validateIssuer),
    },
    {
      // Presets with their own audience rule (and inputs for it) do not ask the generic question.
      // Nor does a broker: its own tokens always name the MCP server URL.
      type: (_prev, values) => (known.audience !== undefined || providerOf(values).devAuthServer || providerOf(values).issuer || brokerOf(values) ? null : 'text'),
      name: 'audience',
      message: 'Token audience (empty: the MCP server URL)',
      initial: '',
      validate: asPromptCheck(validateAudience),
    },
  ];
  const onCancel = () => {
    throw new CliError('cancelled', 'cancelled; nothing was written');
  };
  // Loaded here: the library is a bundle of its own (dist/vendor-prompts.js), read only when someone is asked.
  const { default: prompts } = await import('prompts');
  const answered = (await prompts(questions, { onCancel })) as Record<string, string | boolean>;
  const result: RawProjectAnswers = {};
  const providerInputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(answered)) {
    if (name === 'broker') result.broker = value === true;
    else if (name.startsWith(INPUT_PREFIX)) providerInputs[name.slice(INPUT_PREFIX.length)] = String(value);
    else (result as Record<string, string>)[name] = String(value);
  }
  return Object.keys(providerInputs).length > 0 ? { ...result, providerInputs } : result;
}
