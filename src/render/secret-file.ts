/**
 * The one rule for "a generated file that may hold secrets", so that every place treating such files apart agrees:
 * the writer (`fs/write-files.ts`) creates them 0600, and the pristine base
 * (`update/pristine-base.ts`) keeps only their SHA-256, never their contents, because the base is committed and these
 * files are git-ignored precisely so that they are not.
 *
 * - `.env` and `.env.<name>` (`.env.local`, `.env.production`), but not `.env.example`: that one is the committed,
 *   documented template and holds no value that is not in the templates.
 * - `.dev.vars` and `.dev.vars.<name>`: wrangler's local settings and secrets for `wrangler dev` (Workers projects).
 * - any file a template marks as secret by its name: `<name>.secret` or `<name>.secret.<ext>`
 *   (`dev/signing-key.secret.json`). A template that marks a file this way must also ignore it in `_gitignore`.
 */
const ENV_FILE = /^\.env(\.(?!example$)[^/]+)?$/;
const DEV_VARS_FILE = /^\.dev\.vars(\.[^/]+)?$/;
const MARKED_SECRET = /\.secret(\.[^./]+)?$/;

/** Whether the generated file at `path` (POSIX, project-relative) may hold secrets. */
export function isSecretFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return ENV_FILE.test(name) || DEV_VARS_FILE.test(name) || MARKED_SECRET.test(name);
}
