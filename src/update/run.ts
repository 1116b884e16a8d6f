/**
 * `create-mcp-auth-server update`: brings a generated project to this generator version and/or new answers with a
 * 3-way merge per file (base = the pristine copy of the last render, ours = the disk, theirs = this version's
 * render of the new answers). One linear script; the rules and the merge are pure functions in `src/update/merge/`.
 *
 * Exit codes: 0 updated cleanly or already current; 1 error or refusal (nothing written); 2 `--check` found an
 * update; 3 updated with conflicts (files listed, and marked unmerged in git).
 */
import { relative, resolve } from 'node:path';
import type { Answers } from '../answers/answers.js';
import { ANSWERS_FILE, readAnswersFile, serializeAnswersFile, type AnswersFile } from '../answers/answers-file.js';
import type { RawAnswers } from '../answers/flags.js';
import { CliError } from '../errors.js';
import { writeFiles } from '../fs/write-files.js';
import { generatorVersion } from '../generator-version.js';
import { findGitRoot, markUnmerged, uncommittedChanges, unmergedPaths } from '../git/work-tree.js';
import type { Logger } from '../logger.js';
import type { TemplateSource } from '../render/template-source.js';
import { answersFromFlags } from './answers.js';
import { compareVersions } from './compare-versions.js';
import { sameContents } from './merge/file-rule.js';
import { CONFLICT_END, CONFLICT_START, hasConflictMarkers } from './merge/merge-file.js';
import { mergeProject } from './merge/merge-project.js';
import { BASE_FILE, serializeBase } from './pristine-base.js';
import { readBase } from './read-base.js';
import { findProjectDir, readDisk } from './read-project.js';
import { projectSecrets, renderGenerated } from './render-generated.js';
import { describeAnswerChanges, formatConflicts, formatDryRunDiffs, formatFileChanges, secretCopiesNote } from './report.js';

/** Documented exit codes of `update` and `add tool`. */
export const EXIT_UPDATED = 0;
export const EXIT_UPDATE_AVAILABLE = 2;
export const EXIT_CONFLICTS = 3;

export interface UpdateIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdin and stdout are terminals: prompts may run (only for an answer the new flags leave missing). */
  isTTY: boolean;
  logger: Logger;
  templates: TemplateSource | URL | string;
}

export interface UpdateArgs {
  /** The project folder; the current one by default. */
  dir?: string;
  /** Answer changes, as typed (the same flags and validators as `create`). */
  answers: RawAnswers;
  yes: boolean;
  /** Print the diff that would be applied; write nothing. */
  dryRun: boolean;
  /** Exit 2 when an update is available, 0 when current; write nothing. */
  check: boolean;
}

/** What a run of the update machinery does: `update` changes answers, `add tool` appends a tool. */
export interface UpdateRun {
  projectDir: string;
  /** The new answers from the recorded ones. */
  nextAnswers: (recorded: AnswersFile, projectDir: string) => Promise<Answers>;
  dryRun: boolean;
  check: boolean;
  /** What the summary calls the operation ("Updated", "Added tool x to"). */
  done: string;
}

export async function runUpdate(run: UpdateRun, io: UpdateIO): Promise<number> {
  const log = io.logger;
  const projectDir = await findProjectDir(resolve(run.projectDir));
  const displayDir = relative(io.cwd, projectDir) || '.';

  // 1. The record: answers file and pristine base.
  const recorded = await readAnswersFile(projectDir);
  const pristine = await readBase(projectDir);
  // An older generator would "update" the project back to older templates, undoing fixes.
  if (compareVersions(recorded.generatorVersion, generatorVersion) > 0) {
    throw new CliError(
      'invalid_argument',
      `${displayDir} was made by create-mcp-auth-server ${recorded.generatorVersion}, newer than this ${generatorVersion}: run npx create-mcp-auth-server@latest`,
    );
  }

  // 2. In git: refuse a dirty tree or unmerged files, so the update is one reviewable, undoable change.
  const gitRoot = await findGitRoot(projectDir);
  if (gitRoot && !run.dryRun && !run.check) {
    const unmerged = await unmergedPaths(projectDir);
    if (unmerged.length > 0) {
      throw new CliError('unresolved_conflicts', `unresolved conflicts in ${unmerged.join(', ')}: resolve them, \`git add\` them and commit, then run update again`);
    }
    const dirty = await uncommittedChanges(projectDir);
    if (dirty.length > 0) {
      const shown = dirty.slice(0, 5).map((line) => line.slice(3)).join(', ');
      throw new CliError('dirty_tree', `${displayDir} has uncommitted changes (${shown}${dirty.length > 5 ? ', …' : ''}): commit or stash them first, so the update can be reviewed and undone`);
    }
  }

  // 3. New answers, then the three versions of every file.
  const answers = await run.nextAnswers(recorded, projectDir);
  // The broker secret is generated once, by create: renders here reuse the project's own from its .env (a Worker's
  // from its .dev.vars, where its local secrets are).
  const secretFiles = await readDisk(projectDir, ['.env', '.dev.vars']);
  const secrets = { ...projectSecrets(secretFiles.get('.dev.vars')), ...projectSecrets(secretFiles.get('.env')) };
  const theirs = await renderGenerated(io.templates, answers, secrets);
  for (const reserved of [ANSWERS_FILE, BASE_FILE]) {
    if (theirs.has(reserved)) throw new CliError('template_error', `templates must not produce ${reserved}`);
  }
  let base = pristine?.files;
  if (!base) {
    // A project from before the pristine base existed: the recorded answers rendered by this version are exact when
    // the versions match, and otherwise the closest base available offline (template changes may then be missed).
    if (recorded.generatorVersion !== generatorVersion) {
      log.warn(`warning: ${BASE_FILE} is missing; using this version's templates with your recorded answers as the merge base`);
    }
    base = await renderGenerated(io.templates, recorded.answers, secrets);
  }
  const ours = await readDisk(projectDir, new Set([...base.keys(), ...theirs.keys()]));

  // 4. Refuse files still holding conflict markers: merging them again would nest markers.
  const marked = [...ours].filter(([, contents]) => typeof contents === 'string' && hasConflictMarkers(contents)).map(([path]) => path);
  if (marked.length > 0) {
    throw new CliError('unresolved_conflicts', `conflict markers are still in ${marked.join(', ')}: resolve them (keep what you want between ${CONFLICT_START.slice(0, 7)} and ${CONFLICT_END.slice(0, 7)}), then run update again`);
  }

  // 5. Merge, then add the new record (answers file and pristine base) to the same all-or-nothing write.
  const merge = mergeProject({ base, ours, theirs });
  const writes = new Map(merge.writes);
  const answersText = serializeAnswersFile(generatorVersion, answers);
  const baseText = serializeBase(generatorVersion, theirs);
  const currentAnswers = (await readDisk(projectDir, [ANSWERS_FILE])).get(ANSWERS_FILE);
  // Compared as data, not text: a formatter (prettier) may have rewrapped either JSON file.
  const sameRecord = JSON.stringify(recorded) === JSON.stringify(JSON.parse(answersText));
  const sameBase =
    pristine !== undefined &&
    pristine.generatorVersion === generatorVersion &&
    pristine.secretCopies.length === 0 &&
    pristine.files.size === theirs.size &&
    [...theirs].every(([path, contents]) => sameContents(pristine.files.get(path), contents));
  if (!sameRecord) writes.set(ANSWERS_FILE, answersText);
  if (!sameBase) writes.set(BASE_FILE, baseText);

  const changes = describeAnswerChanges(recorded.answers, answers);
  const from = recorded.generatorVersion === generatorVersion ? `create-mcp-auth-server ${generatorVersion}` : `create-mcp-auth-server ${recorded.generatorVersion} → ${generatorVersion}`;
  const heading = `${displayDir}: ${from}${changes ? `; ${changes}` : ''}`;
  const fileChanges = merge.outcomes.filter((outcome) => outcome.action !== 'keep' || outcome.conflicts > 0);
  const report = () => {
    for (const line of formatFileChanges(fileChanges)) log.info(line);
  };

  // 6. --check / --dry-run: say what would happen, write nothing.
  if (run.check) {
    if (writes.size === 0) {
      log.info(`${displayDir} is up to date (create-mcp-auth-server ${generatorVersion}).`);
      return EXIT_UPDATED;
    }
    log.info(`Update available for ${heading}`);
    report();
    if (fileChanges.length === 0) log.info(`  (no file changes: only the record, ${ANSWERS_FILE} and ${BASE_FILE})`);
    if (merge.conflicted.length > 0) log.info(`${merge.conflicted.length} file(s) would have conflicts.`);
    return EXIT_UPDATE_AVAILABLE;
  }
  if (run.dryRun) {
    if (writes.size === 0) {
      log.info(`${displayDir} is up to date; nothing would change.`);
      return EXIT_UPDATED;
    }
    log.info(`Dry run for ${heading}; nothing was written.`);
    report();
    for (const line of formatDryRunDiffs(writes, ours, currentAnswers)) log.info(line);
    return EXIT_UPDATED;
  }
  if (writes.size === 0) {
    log.info(`${displayDir} is up to date (create-mcp-auth-server ${generatorVersion}); nothing to do.`);
    return EXIT_UPDATED;
  }

  // 7. Write everything at once, then mark conflicted files as unmerged in git.
  await writeFiles(projectDir, writes, { label: 'the project' });
  if (gitRoot && merge.conflicted.length > 0) {
    await markUnmerged(gitRoot, projectDir, merge.conflicted.map((path) => ({ path, ...merge.conflictVersions.get(path)! })));
  }

  // 8. Report: every changed file, the conflicts, and what to do next.
  log.info(`${run.done} ${heading}`);
  report();
  if (pristine && pristine.secretCopies.length > 0) log.info(secretCopiesNote(pristine.secretCopies));
  if (writes.has('package.json')) log.info(`package.json changed: run \`${answers.packageManager} install\`.`);
  if (merge.conflicted.length === 0) {
    log.info(gitRoot ? 'Review with `git diff`, then commit.' : 'Done.');
    return EXIT_UPDATED;
  }
  for (const line of formatConflicts(merge.conflicted, gitRoot !== undefined)) log.warn(line);
  return EXIT_CONFLICTS;
}

export function update(args: UpdateArgs, io: UpdateIO): Promise<number> {
  return runUpdate(
    {
      projectDir: resolve(io.cwd, args.dir ?? '.'),
      nextAnswers: answersFromFlags(args, io),
      dryRun: args.dryRun,
      check: args.check,
      done: 'Updated',
    },
    io,
  );
}
