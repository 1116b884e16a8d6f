/** What `update` and `add tool` print about a merge: pure, outcomes in, lines out. */
import type { Answers } from '../answers/answers.js';
import { ANSWERS_FILE } from '../answers/answers-file.js';
import { isSecretFile } from '../render/secret-file.js';
import { unifiedDiff } from './merge/diff.js';
import type { FileContents } from './merge/file-rule.js';
import { describeKeysToCopy } from './merge/keys-to-copy.js';
import { CONFLICT_END, CONFLICT_START } from './merge/merge-file.js';
import type { FileOutcome } from './merge/merge-project.js';
import { BASE_FILE } from './pristine-base.js';

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

export function describeAnswerChanges(before: Answers, after: Answers): string {
  const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : JSON.stringify(value) ?? '(none)');
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])] as (keyof Answers)[];
  return keys
    .filter((key) => key !== 'tools' && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key} ${show(before[key])} → ${show(after[key])}`)
    .join(', ');
}

/** One line per file the update changes or conflicts on. */
export function formatFileChanges(fileChanges: readonly FileOutcome[]): string[] {
  const lines: string[] = [];
  for (const outcome of fileChanges) {
    const label = outcome.conflicts > 0 ? 'CONFLICT' : OUTCOME_LABELS[outcome.action];
    const note =
      outcome.conflicts > 0
        ? ` (${outcome.binary ? 'binary file changed on both sides; yours is kept' : `${outcome.conflicts} conflict${outcome.conflicts > 1 ? 's' : ''}`})`
        : outcome.keysToCopy
          ? describeKeysToCopy(outcome.path, outcome.keysToCopy)
          : OUTCOME_NOTES[outcome.action] ?? '';
    lines.push(`  ${label.padEnd(12)} ${outcome.path}${note}`);
  }
  return lines;
}

/** `--dry-run`: the diff of every write against the disk; files that may hold secrets are named, never shown. */
export function formatDryRunDiffs(
  writes: ReadonlyMap<string, FileContents | null>,
  ours: ReadonlyMap<string, FileContents>,
  currentAnswers: FileContents | undefined,
): string[] {
  const lines: string[] = [];
  for (const [path, contents] of writes) {
    if (path === BASE_FILE) continue;
    if (isSecretFile(path)) {
      lines.push(`(${path}: diff not shown, it may hold secrets)`);
      continue;
    }
    const before = ours.get(path) ?? (path === ANSWERS_FILE ? currentAnswers : undefined);
    const text = (value: FileContents | null | undefined) => (value === null || value === undefined ? undefined : value.toString());
    const diff = unifiedDiff(path, text(before), text(contents));
    if (diff) lines.push(diff.replace(/\n$/, ''));
  }
  lines.push(`(and ${BASE_FILE}, the pristine copy of this render)`);
  return lines;
}

/** Told once, when this update drops copies of secret files an older base held. */
export function secretCopiesNote(secretCopies: readonly string[]): string {
  return (
    `${BASE_FILE} no longer holds a copy of ${secretCopies.join(', ')} (only a SHA-256 now); earlier commits still ` +
    'do: the values the generator wrote there, not your edits. If one was a real secret, change it.'
  );
}

/** The conflicted files and how to resolve them (warnings). */
export function formatConflicts(conflicted: readonly string[], inGit: boolean): string[] {
  return [
    `${conflicted.length} file(s) have conflicts:`,
    ...conflicted.map((path) => `  ${path}`),
    `In each, keep what you want between "${CONFLICT_START}" and "${CONFLICT_END}" (the middle section is the previous ` +
      `generator version), delete the markers${inGit ? ', then `git add` the file and commit' : ''}. update refuses to run again until they are gone.`,
  ];
}
