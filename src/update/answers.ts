/**
 * The new answers of an `update`: the recorded ones, overridden by the flags typed now, validated again by the same
 * code as `create` (collectAnswers). `add tool` brings its own (src/update/add-tool.ts).
 */
import type { Answers } from '../answers/answers.js';
import type { AnswersFile } from '../answers/answers-file.js';
import { collectAnswers } from '../answers/collect-answers.js';
import type { RawAnswers } from '../answers/flags.js';
import { providerInputFlags } from '../answers/provider-inputs.js';
import { getProvider } from '../providers/index.js';
import { keepUnrecordedChoices, recordedChoices } from '../answers/project-choices.js';
import { recordedManualDiscovery } from '../answers/manual-discovery.js';
import type { UpdateArgs, UpdateIO } from './run.js';

/** The recorded answers as raw flag values, so `collectAnswers` re-validates them with the new flags on top. */
export function rawFromAnswers(answers: Answers, changes: RawAnswers): RawAnswers {
  const sameProvider = changes.provider === undefined || changes.provider === answers.provider;
  // Preset inputs are recorded by id and typed as flags (`--auth0-domain`): map them back for the same provider.
  const inputsByFlag: Record<string, string> = {};
  for (const [id, value] of Object.entries(answers.providerInputs ?? {})) {
    const flag = providerInputFlags.find((entry) => entry.providerId === answers.provider && entry.input.id === id)?.input.flag;
    if (flag !== undefined) inputsByFlag[flag] = value;
  }
  const newInputs = Object.keys(changes.providerInputs ?? {}).length > 0;
  // `--broker` on a resource server: its audience, token format and shim concern the provider's tokens, which a
  // broker does not check (collectAnswers refuses them when typed with --broker). Recorded ones are dropped.
  const { tokenFormat, metadataShim, broker } = recordedChoices(answers);
  const becomesBroker = changes.broker === true && broker !== true;
  // Back to a resource server: the inputs a broker did not keep (the client id naming `aud`) are needed again, so a
  // preset that builds its issuer from inputs asks for them instead of taking the recorded issuer as given.
  const leavesBroker = changes.broker === false && broker === true && getProvider(answers.provider).issuer !== undefined;
  const raw: RawAnswers = {
    provider: answers.provider,
    framework: answers.framework,
    transport: answers.transport,
    ...(answers.runtime !== undefined ? { runtime: answers.runtime } : {}),
    scopes: answers.scopes.join(','),
    packageManager: answers.packageManager,
    // Another provider, or new preset inputs, bring their own issuer and audience unless they are given again.
    ...(sameProvider && !newInputs && !leavesBroker ? { issuer: answers.issuer, ...(answers.audience !== undefined && !becomesBroker ? { audience: answers.audience } : {}) } : {}),
    // The mode, token format and shim were chosen for this provider; another one starts from its own preset's.
    ...(sameProvider ? { broker, ...(becomesBroker ? {} : { ...(tokenFormat !== undefined ? { tokenFormat } : {}), ...(metadataShim !== undefined ? { metadataShim } : {}) }) } : {}),
    ...recordedManualDiscovery(answers, changes, sameProvider),
  };
  const providerInputs = { ...(sameProvider ? inputsByFlag : {}), ...changes.providerInputs };
  return { ...raw, ...changes, ...(Object.keys(providerInputs).length > 0 ? { providerInputs } : {}) };
}

/** New answers for `update`: recorded answers, overridden by flags (prompting, on a TTY, only for what is missing). */
export function answersFromFlags(args: UpdateArgs, io: UpdateIO) {
  return async ({ answers: recorded }: AnswersFile): Promise<Answers> => {
    const { answers } = await collectAnswers({
      dir: recorded.projectName,
      flags: rawFromAnswers(recorded, args.answers),
      // Only another provider can leave an answer missing (its issuer or inputs); the recorded ones are never re-asked
      // (an absent audience is an answer: the server URL).
      interactive: io.isTTY && !args.yes && args.answers.provider !== undefined && args.answers.provider !== recorded.provider,
      cwd: io.cwd,
      env: io.env,
    });
    // The name and the added tools are not answers a flag changes.
    const next = { ...answers, projectName: recorded.projectName, ...(recorded.tools !== undefined ? { tools: recorded.tools } : {}) };
    return keepUnrecordedChoices(recorded, next, args.answers);
  };
}
