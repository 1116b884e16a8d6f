/**
 * What the pristine base keeps of a file that may hold secrets (see `render/secret-file.ts`): its SHA-256, which is
 * all the update rules need to tell "untouched since it was generated" from "edited", and which, unlike the
 * contents, can be committed.
 */
import { createHash } from 'node:crypto';
import type { FileContents } from './merge/file-rule.js';

export interface ContentDigest {
  /** Lowercase hex SHA-256 of the file's bytes (UTF-8 for text). */
  sha256: string;
}

/** A file as the pristine base remembers it: its contents, or only their digest. */
export type StoredContents = FileContents | ContentDigest;

export function digestOf(contents: FileContents): ContentDigest {
  return { sha256: createHash('sha256').update(contents).digest('hex') };
}

export function isDigest(contents: StoredContents | undefined): contents is ContentDigest {
  return typeof contents === 'object' && !Buffer.isBuffer(contents);
}
