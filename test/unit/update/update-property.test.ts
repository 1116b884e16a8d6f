/**
 * Property test of the update merge on the real templates: in hundreds of seeded runs, random edits (insert,
 * delete, replace lines; delete whole files) to the files users own, then an update that changes the answers.
 * Every line the user wrote must survive, merged or inside a conflict block; files the user did not touch must
 * equal the new render; a second update right after must change nothing. The figures are printed for quoting.
 *
 *   npx vitest run test/unit/update/update-property.test.ts
 *   PROPERTY_RUNS=2000 PROPERTY_SEED=7 npx vitest run test/unit/update/update-property.test.ts
 */
import { beforeAll, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { localAnswers } from '../render/fixtures.js';
import { sameContents, type FileContents } from '../../../src/update/merge/file-rule.js';
import { CONFLICT_END, CONFLICT_START, hasConflictMarkers } from '../../../src/update/merge/merge-file.js';
import { mergeProject } from '../../../src/update/merge/merge-project.js';
import { renderGenerated } from '../../../src/update/render-generated.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 1000);
const SEED = Number(process.env['PROPERTY_SEED'] ?? 1);
const templates = new URL('../../../templates/', import.meta.url);

const v1: Answers = { ...localAnswers, projectName: 'property-app' };

/** Answer changes an update may bring, each rendered once. */
const changes: Record<string, Partial<Answers>> = {
  'scopes read,write,admin': { scopes: ['read', 'write', 'admin'] },
  'scopes renamed': { scopes: ['files.read', 'files.write'] },
  'framework hono': { framework: 'hono' },
  'transport stateful': { transport: 'stateful' },
  'an added tool': { tools: [{ name: 'delete_note', scopes: ['admin'], description: 'Deletes a note.' }] },
};

/** The files a user edits: their tools, docs, configuration, and a few files the generator also changes. */
const USER_FILES = /^(src\/tools\/|src\/scopes\.ts$|src\/config\.ts$|src\/http\/app\.ts$|src\/mcp\/|README\.md$|\.env(\.example)?$|test\/http\/mcp\.test\.ts$|package\.json$)/;

/** mulberry32: small, fast, and the same sequence on every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let base: Map<string, FileContents>;
const rendered = new Map<string, Map<string, FileContents>>();

beforeAll(async () => {
  base = await renderGenerated(templates, v1);
  for (const [name, change] of Object.entries(changes)) rendered.set(name, await renderGenerated(templates, { ...v1, ...change }));
});

test(`no user line is lost in ${RUNS} seeded random edit + update runs (seed ${SEED})`, () => {
  const figures = { runs: 0, filesEdited: 0, filesDeleted: 0, cleanMerges: 0, conflictedFiles: 0, conflictBlocks: 0, userLinesChecked: 0, untouchedFilesChecked: 0 };
  const userFiles = [...base.keys()].filter((path) => USER_FILES.test(path));
  expect(userFiles.length).toBeGreaterThan(8);
  const changeNames = Object.keys(changes);

  for (let run = 0; run < RUNS; run++) {
    const next = random(SEED * 1_000_003 + run);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    const theirs = rendered.get(changeNames[run % changeNames.length]!)!;
    const ours = new Map(base);
    /** Lines the user typed, per file: each is unique, so "still present" is a plain substring check. */
    const written = new Map<string, string[]>();
    const edited = new Set<string>();

    const fileCount = 1 + Math.floor(next() * 4);
    for (let f = 0; f < fileCount; f++) {
      const path = pick(userFiles);
      if (!ours.has(path)) continue;
      edited.add(path);
      if (next() < 0.05) {
        ours.delete(path);
        figures.filesDeleted++;
        continue;
      }
      const lines = String(ours.get(path)).split('\n');
      const mine = written.get(path) ?? [];
      const edits = 1 + Math.floor(next() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * lines.length);
        const line = `// edit ${run}.${f}.${e}: the user's own line`;
        const kind = next();
        if (kind < 0.45) {
          lines.splice(at, 0, line);
          mine.push(line);
        } else if (kind < 0.75 && lines.length > 1) {
          const [removed] = lines.splice(at, 1);
          const index = mine.indexOf(removed!);
          if (index !== -1) mine.splice(index, 1); // the user deleted their own line again
        } else {
          const [replaced] = lines.splice(at, 1, line);
          const index = mine.indexOf(replaced!);
          if (index !== -1) mine.splice(index, 1);
          mine.push(line);
        }
      }
      ours.set(path, lines.join('\n'));
      written.set(path, mine);
    }
    figures.runs++;
    figures.filesEdited += edited.size;

    const merge = mergeProject({ base, ours, theirs });
    const result = new Map(ours);
    for (const [path, contents] of merge.writes) {
      if (contents === null) result.delete(path);
      else result.set(path, contents);
    }

    for (const path of edited) {
      const outcome = merge.outcomes.find((o) => o.path === path);
      const text = result.get(path);
      if (!ours.has(path)) {
        expect(text, `${path} deleted by the user came back (run ${run})`).toBeUndefined();
        continue;
      }
      expect(text, `${path} lost (run ${run})`).toBeDefined();
      for (const line of written.get(path) ?? []) {
        expect(String(text).includes(line), `run ${run}: "${line}" lost from ${path}`).toBe(true);
        figures.userLinesChecked++;
      }
      if (outcome && outcome.conflicts > 0) {
        figures.conflictedFiles++;
        figures.conflictBlocks += outcome.conflicts;
        const starts = String(text).split('\n').filter((l) => l === CONFLICT_START).length;
        const ends = String(text).split('\n').filter((l) => l === CONFLICT_END).length;
        expect([starts, ends]).toEqual([outcome.conflicts, outcome.conflicts]);
      } else {
        figures.cleanMerges++;
        expect(hasConflictMarkers(String(text)), `${path} has markers but no reported conflict (run ${run})`).toBe(false);
      }
    }
    // Files the user never touched are exactly the new render; files the new render dropped are gone.
    for (const [path, contents] of theirs) {
      if (edited.has(path)) continue;
      // sameContents: Buffers (files copied verbatim) through toEqual would be compared byte by byte, slowly.
      expect(sameContents(result.get(path), contents), `${path} differs from the new render (run ${run})`).toBe(true);
      figures.untouchedFilesChecked++;
    }
    for (const path of base.keys()) if (!theirs.has(path) && !edited.has(path)) expect(result.has(path)).toBe(false);

    // Updating again with the same render changes nothing: no nested markers, no repeated insertions.
    const again = mergeProject({ base: theirs, ours: result, theirs });
    expect([...again.writes.keys()], `second update (run ${run})`).toEqual([]);
  }

  console.log(`update property test (seed ${SEED}): ${JSON.stringify(figures)}`);
  expect(figures.runs).toBe(RUNS);
  expect(figures.userLinesChecked).toBeGreaterThan(RUNS);
  expect(figures.cleanMerges).toBeGreaterThan(0);
  expect(figures.conflictedFiles).toBeGreaterThan(0);
}, 120_000);
