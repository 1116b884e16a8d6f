/**
 * Step 1 of `create`: flags → prompts for what is missing → defaults → one validated `Answers`.
 * Precedence is prompt > flag > default, but prompts only ask what no flag answered. Without a TTY (or with
 * --yes) nothing is asked, and a required answer with no default is one error that names the flag to pass.
 */
import { CliError } from '../errors.js';
import { detectPackageManager } from '../install/package-managers.js';
import { getProvider } from '../presets/providers.js';
import { answersSchema, type Answers } from './answers.js';
import { answerDefaults } from './defaults.js';
import type { RawAnswers } from './flags.js';
import { packageNameFor } from './package-name.js';
import type { RawProjectAnswers } from './prompts.js';
import {
  validateAudience,
  validateFramework,
  validateIssuer,
  validatePackageManager,
  validateProjectName,
  validateProvider,
  validateScopes,
  validateTargetDir,
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
  if (raw.provider !== undefined) validateProvider(raw.provider);
  if (raw.framework !== undefined) validateFramework(raw.framework);
  if (raw.transport !== undefined) validateTransport(raw.transport);
  if (raw.scopes !== undefined) validateScopes(raw.scopes);
  if (raw.issuer !== undefined) validateIssuer(raw.issuer);
  if (raw.audience !== undefined) validateAudience(raw.audience);
  if (raw.packageManager !== undefined) validatePackageManager(raw.packageManager);
}

export async function collectAnswers(input: CollectInput): Promise<CollectedAnswers> {
  const given: RawProjectAnswers = { ...input.flags, ...(input.dir !== undefined ? { dir: input.dir } : {}) };
  validateRaw(given, input.cwd); // fail before asking anything

  let prompted: RawProjectAnswers = {};
  if (input.interactive) {
    const ask = input.ask ?? (await import('./prompts.js')).askForMissing;
    prompted = await ask(given, input.cwd);
    validateRaw(prompted, input.cwd);
  }
  const raw = { ...given, ...prompted };

  const targetDir = raw.dir ?? answerDefaults.projectName;
  const provider = validateProvider(raw.provider ?? answerDefaults.provider);
  const issuer = raw.issuer ?? getProvider(provider).defaultIssuer;
  if (issuer === undefined) {
    throw new CliError(
      'missing_answer',
      `--provider ${provider} needs an issuer: pass --issuer <url> (e.g. --issuer ${getProvider(provider).issuerExample})` +
        ' and optionally --audience <string>, or run in a terminal without --yes to be asked',
    );
  }
  const audience = raw.audience === undefined ? undefined : validateAudience(raw.audience);
  const answers = answersSchema.parse({
    projectName: validateProjectName(packageNameFor(targetDir, input.cwd)),
    provider,
    framework: validateFramework(raw.framework ?? answerDefaults.framework),
    transport: validateTransport(raw.transport ?? answerDefaults.transport),
    scopes: validateScopes(raw.scopes ?? answerDefaults.scopes),
    issuer: validateIssuer(issuer),
    ...(audience !== undefined ? { audience } : {}),
    packageManager: validatePackageManager(
      raw.packageManager ?? detectPackageManager(input.env['npm_config_user_agent']),
    ),
  } satisfies Answers);
  return { answers, targetDir };
}
