/**
 * `package.json` merged by key, not by line: a dependency the user added and a version the generator bumped are
 * different keys, so both land, whatever order or indentation the file has. Objects merge recursively; a key both
 * sides changed differently is a conflict, shown as a line conflict around that key only.
 */
import { mergeText, type MergeResult } from './merge-file.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function equal(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Keys in ours' order, then keys only theirs has, in theirs' order. */
function keyOrder(ours: JsonObject, theirs: JsonObject): string[] {
  return [...new Set([...Object.keys(ours), ...Object.keys(theirs)])];
}

interface KeyMerge {
  /** The merge, with base's value at each conflicting key. */
  base: JsonObject;
  /** The merge, with ours' value at each conflicting key. */
  ours: JsonObject;
  /** The same merge, with theirs' value at each conflicting key. */
  theirs: JsonObject;
  conflicts: number;
}

/** 3-way merge of one object; `undefined` values mean "absent". */
function mergeObject(base: JsonObject, ours: JsonObject, theirs: JsonObject): KeyMerge {
  const result: KeyMerge = { base: {}, ours: {}, theirs: {}, conflicts: 0 };
  const set = (key: string, forOurs: Json | undefined, forTheirs: Json | undefined, forBase = forOurs) => {
    if (forBase !== undefined) result.base[key] = forBase;
    if (forOurs !== undefined) result.ours[key] = forOurs;
    if (forTheirs !== undefined) result.theirs[key] = forTheirs;
  };
  for (const key of keyOrder(ours, theirs)) {
    const [b, o, t] = [base[key], ours[key], theirs[key]];
    if (equal(o, b) || equal(o, t)) set(key, t, t);
    else if (equal(t, b)) set(key, o, o);
    else if (isObject(o) && isObject(t)) {
      const inner = mergeObject(isObject(b) ? b : {}, o, t);
      set(key, inner.ours, inner.theirs, inner.base);
      result.conflicts += inner.conflicts;
    } else {
      set(key, o, t, b);
      result.conflicts++;
    }
  }
  return result;
}

/** The indentation `text` uses (npm keeps a file's own indentation); two spaces by default. */
function indentOf(text: string): string {
  return /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value = JSON.parse(text) as Json;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Merges three versions of a package.json by key. Returns undefined when one of them is not a JSON object (a
 * half-edited file): the caller then merges it line by line.
 */
export function mergePackageJson(base: string, ours: string, theirs: string): MergeResult | undefined {
  const [b, o, t] = [parseObject(base), parseObject(ours), parseObject(theirs)];
  if (!b || !o || !t) return undefined;
  if (equal(o, b)) return { text: theirs, conflicts: 0 };
  if (equal(t, b) || equal(o, t)) return { text: ours, conflicts: 0 };
  const merged = mergeObject(b, o, t);
  const indent = indentOf(ours);
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';
  const print = (value: JsonObject) => `${JSON.stringify(value, null, indent).replace(/\n/g, eol)}${eol}`;
  if (merged.conflicts === 0) return { text: print(merged.ours), conflicts: 0 };
  // The three renderings agree everywhere except at the conflicting keys, so a line merge of them puts conflict
  // markers around exactly those keys.
  return mergeText(print(merged.base), print(merged.ours), print(merged.theirs));
}
