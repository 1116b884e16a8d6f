/**
 * `create-mcp-auth-server [dir]`: one linear script. Everything below it is pure or has one job; this is where
 * prompts, the file system and child processes meet.
 */
import { randomBytes } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { collectAnswers } from '../answers/collect-answers.js';
import { ANSWERS_FILE, serializeAnswersFile } from '../answers/answers-file-format.js';
import type { ParsedArgs } from '../answers/flags.js';
import { CliError } from '../errors.js';
import { generatorVersion } from '../generator-version.js';
import { initGitRepository } from '../git/init.js';
import { installDependencies } from '../install/install-dependencies.js';
import { getPackageManager } from '../install/package-managers.js';
import type { Logger } from '../logger.js';
import { createTemplateContext } from '../render/context.js';
import { planLayers } from '../render/plan.js';
import { renderProject } from '../render/render.js';
import type { TemplateSource } from '../render/template-source.js';
import { writeProject } from './write-project.js';
import { BASE_FILE, serializeBase } from '../update/pristine-base.js';
import { formatDryRun, formatNextSteps } from './next-steps.js';

export interface CreateIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdin and stdout are terminals; prompts run only then (and without --yes). */
  isTTY: boolean;
  logger: Logger;
  templates: TemplateSource | URL | string;
}

/** AUTH_BROKER_SECRET: 32 random bytes, base64url (what the broker's `deriveSecrets` requires). */
export function newBrokerSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function create(args: ParsedArgs, io: CreateIO): Promise<void> {
  const { options } = args;
  const log = io.logger;

  // 1. Collect answers: flags, then prompts for what is missing, then defaults; all validated.
  const { answers, targetDir } = await collectAnswers({
    ...(args.dir !== undefined ? { dir: args.dir } : {}),
    flags: args.answers,
    interactive: io.isTTY && !options.yes,
    cwd: io.cwd,
    env: io.env,
  });
  const target = resolve(io.cwd, targetDir);
  const displayDir = relative(io.cwd, target) || '.';

  // 2. Plan the template layers.
  const layers = planLayers(answers);

  // 3. Render in memory, plus the answers file, so it is written atomically with the rest.
  // The broker's secret is generated here and only here: it goes into .env (0600, git-ignored), never into the
  // answers file or the pristine base (which keeps only a digest of .env), and `update` reuses it.
  const context = createTemplateContext(answers, generatorVersion, answers.broker === true ? { brokerSecret: newBrokerSecret() } : {});
  const files = await renderProject(io.templates, layers, context);
  for (const reserved of [ANSWERS_FILE, BASE_FILE]) {
    if (files.has(reserved)) throw new CliError('template_error', `templates must not produce ${reserved}`);
  }
  // The pristine copy of this render: the base of a later `update` merge (see update/pristine-base.ts).
  files.set(BASE_FILE, serializeBase(generatorVersion, files));
  files.set(ANSWERS_FILE, serializeAnswersFile(generatorVersion, answers));

  // 4. Dry run: show what would be written and stop.
  if (options.dryRun) {
    for (const line of formatDryRun(files, displayDir)) log.info(line);
    return;
  }

  // 5. Write, all or nothing (fs/write-files.ts).
  await writeProject(target, files, { force: options.force, label: displayDir });
  log.info(`Created ${displayDir} (${files.size} files, ${answers.framework}, provider ${answers.provider}).`);

  // 6. Install. A failure keeps the project (it is complete) and is reported after the next steps.
  const manager = getPackageManager(answers.packageManager);
  let installError: CliError | undefined;
  if (options.install) {
    try {
      await installDependencies(manager, { cwd: target, displayDir, logger: log });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      installError = error;
    }
  }

  // 7. git init + first commit, unless asked not to, git is missing, or we are inside a repository.
  if (options.git) {
    const result = await initGitRepository(target, log);
    if (result === 'committed') log.info('Created a git repository with an initial commit.');
  }

  // 8. Next steps, with the exact URL to paste into an MCP client.
  const installed = options.install && !installError;
  for (const line of formatNextSteps({
    displayDir,
    serverName: answers.projectName,
    ...(installed ? {} : { installCommand: context.pm.install }),
    devCommand: context.pm.run('dev'),
    testCommand: context.pm.run('test'),
    mcpUrl: context.env.MCP_SERVER_URL,
    devAuthServer: context.features.devAuthServer,
    ...(context.broker ? { broker: { providerLabel: context.provider.label, callbackUrl: context.broker.callbackUrl } } : {}),
    // A Worker has no Dockerfile: `wrangler deploy` publishes it.
    ...(context.runtime.id === 'workers' ? { deployCommand: context.pm.run('deploy') } : {}),
  })) {
    log.info(line);
  }
  if (installError) throw installError;
}
