/**
 * `create-mcp-auth-server update`: brings a generated project to this generator version and/or new answers with a
 * 3-way merge per file (base = the pristine copy of the last render, ours = the disk, theirs = this version's
 * render of the new answers). One linear script; the rules and the merge are pure functions in `src/merge/`.
 *
 * Exit codes: 0 updated cleanly or already current; 1 error or refusal (nothing written); 2 `--check` found an
 * update; 3 updated with conflicts (files listed, and marked unmerged in git).
 */
import { lstat, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Answers } from '../answers/answers.js';
import { ANSWERS_FILE, readAnswersFile, serializeAnswersFile, type AnswersFile } from '../answers/answers-file.js';
import { collectAnswers } from '../answers/collect-answers.js';
import type { RawAnswers } from '../answers/flags.js';
import { providerInputFlags } from '../answers/provider-inputs.js';
import { keepUnrecordedChoices, recordedChoices } from '../answers/project-choices.js';
import { CliError } from '../errors.js';
import { generatorVersion } from '../generator-version.js';
import type { Logger } from '../logger.js';
import { resolveInside } from '../render/safe-path.js';
import { isSecretFile } from '../render/secret-file.js';
import { applyWrites } from '../merge/apply-writes.js';
import { unifiedDiff } from '../merge/diff.js';
import { sameContents, type FileContents } from '../merge/file-rule.js';
import { findGitRoot, markUnmerged, uncommittedChanges, unmergedPaths } from '../merge/git.js';
import { describeKeysToCopy } from '../merge/keys-to-copy.js';
import { CONFLICT_END, CONFLICT_START, hasConflictMarkers } from '../merge/merge-file.js';
import { mergeProject, type FileOutcome } from '../merge/merge-project.js';
import { BASE_FILE, serializeBase } from '../merge/pristine-base.js';
import { readBase } from '../merge/read-base.js';
import { renderGenerated } from '../merge/render-generated.js';
import type { TemplateSource } from '../render/template-source.js';

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

const OUTCOME_LABELS: Record<FileOutcome['action'], string> = {
  keep: 'unchanged',
  add: 'added',
  'take-theirs': 'updated',
  merge: 'merged',
  'keep-secret': 'kept',
  'keep-deleted': 'kept deleted',
  delete: 'deleted',
  'keep-removed': 'kept',
};

const OUTCOME_NOTES: Partial<Record<FileOutcome['action'], string>> = {
  'keep-deleted': ' (you deleted it; the generator still has it)',
  'keep-removed': ' (the generator dropped it, but you changed it)',
};

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
  const raw: RawAnswers = {
    provider: answers.provider,
    framework: answers.framework,
    transport: answers.transport,
    scopes: answers.scopes.join(','),
    packageManager: answers.packageManager,
    // Another provider, or new preset inputs, bring their own issuer and audience unless they are given again.
    ...(sameProvider && !newInputs ? { issuer: answers.issuer, ...(answers.audience !== undefined ? { audience: answers.audience } : {}) } : {}),
    // The token format and the shim were chosen for this provider; another one starts from its own preset's.
    ...(sameProvider ? recordedChoices(answers) : {}),
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

/** -1, 0 or 1 as `a` is older, the same as or newer than `b` (x.y.z; a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = '', pre] = version.split('-', 2);
    return { parts: core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre };
  };
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The folder holding the answers file: `start` or the nearest parent (like git finds `.git`). */
async function findProjectDir(start: string): Promise<string> {
  for (let dir = start; ; dir = dirname(dir)) {
    if (await lstat(join(dir, ANSWERS_FILE)).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new CliError(
    'invalid_answers_file',
    `no ${ANSWERS_FILE} in ${start} or its parents: run update inside a project made by create-mcp-auth-server` +
      ' (to create a project in a folder named update or add, write ./update or ./add)',
  );
}

async function readDisk(projectDir: string, paths: Iterable<string>): Promise<Map<string, FileContents>> {
  const ours = new Map<string, FileContents>();
  for (const path of paths) {
    const absolute = resolveInside(projectDir, path);
    const stats = await lstat(absolute).catch(() => undefined);
    if (!stats) continue;
    if (!stats.isFile()) throw new CliError('write_failed', `${path} is not a regular file; the generator wants to manage a file there`);
    const bytes = await readFile(absolute);
    ours.set(path, bytes.includes(0) ? bytes : bytes.toString('utf8'));
  }
  return ours;
}

function describeAnswerChanges(before: Answers, after: Answers): string {
  const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : JSON.stringify(value) ?? '(none)');
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])] as (keyof Answers)[];
  return keys
    .filter((key) => key !== 'tools' && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key} ${show(before[key])} → ${show(after[key])}`)
    .join(', ');
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
  const theirs = await renderGenerated(io.templates, answers);
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
    base = await renderGenerated(io.templates, recorded.answers);
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
    for (const outcome of fileChanges) {
      const label = outcome.conflicts > 0 ? 'CONFLICT' : OUTCOME_LABELS[outcome.action];
      const note =
        outcome.conflicts > 0
          ? ` (${outcome.binary ? 'binary file changed on both sides; yours is kept' : `${outcome.conflicts} conflict${outcome.conflicts > 1 ? 's' : ''}`})`
          : outcome.keysToCopy
            ? describeKeysToCopy(outcome.path, outcome.keysToCopy)
            : OUTCOME_NOTES[outcome.action] ?? '';
      log.info(`  ${label.padEnd(12)} ${outcome.path}${note}`);
    }
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
    for (const [path, contents] of writes) {
      if (path === BASE_FILE) continue;
      if (isSecretFile(path)) {
        log.info(`(${path}: diff not shown, it may hold secrets)`);
        continue;
      }
      const before = ours.get(path) ?? (path === ANSWERS_FILE ? currentAnswers : undefined);
      const text = (value: FileContents | null | undefined) => (value === null || value === undefined ? undefined : value.toString());
      const diff = unifiedDiff(path, text(before), text(contents));
      if (diff) log.info(diff.replace(/\n$/, ''));
    }
    log.info(`(and ${BASE_FILE}, the pristine copy of this render)`);
    return EXIT_UPDATED;
  }
  if (writes.size === 0) {
    log.info(`${displayDir} is up to date (create-mcp-auth-server ${generatorVersion}); nothing to do.`);
    return EXIT_UPDATED;
  }

  // 7. Write everything at once, then mark conflicted files as unmerged in git.
  await applyWrites(projectDir, writes);
  if (gitRoot && merge.conflicted.length > 0) {
    await markUnmerged(gitRoot, projectDir, merge.conflicted.map((path) => ({ path, ...merge.conflictVersions.get(path)! })));
  }

  // 8. Report: every changed file, the conflicts, and what to do next.
  log.info(`${run.done} ${heading}`);
  report();
  if (pristine && pristine.secretCopies.length > 0) {
    log.info(
      `${BASE_FILE} no longer holds a copy of ${pristine.secretCopies.join(', ')} (only a SHA-256 now); earlier commits still ` +
        'do: the values the generator wrote there, not your edits. If one was a real secret, change it.',
    );
  }
  if (writes.has('package.json')) log.info(`package.json changed: run \`${answers.packageManager} install\`.`);
  if (merge.conflicted.length === 0) {
    log.info(gitRoot ? 'Review with `git diff`, then commit.' : 'Done.');
    return EXIT_UPDATED;
  }
  log.warn(`${merge.conflicted.length} file(s) have conflicts:`);
  for (const path of merge.conflicted) log.warn(`  ${path}`);
  log.warn(
    `In each, keep what you want between "${CONFLICT_START}" and "${CONFLICT_END}" (the middle section is the previous ` +
      `generator version), delete the markers${gitRoot ? ', then `git add` the file and commit' : ''}. update refuses to run again until they are gone.`,
  );
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
