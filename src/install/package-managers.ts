/** Package managers as data: how each one installs, runs a script and runs a binary. */
export interface PackageManager {
  id: string;
  label: string;
  hint: string;
  /** The install command as argv, e.g. `['npm', 'install']`. */
  install: readonly [string, ...string[]];
  /** Prefix that runs a package.json script: `npm run dev`, `pnpm dev`. */
  runPrefix: string;
  /** Prefix that runs a package binary: `npx tsc`, `pnpm exec tsc`. */
  execPrefix: string;
}

export const packageManagers = [
  { id: 'npm', label: 'npm', hint: 'ships with Node.js', install: ['npm', 'install'], runPrefix: 'npm run', execPrefix: 'npx' },
  { id: 'pnpm', label: 'pnpm', hint: 'content-addressed store, strict node_modules', install: ['pnpm', 'install'], runPrefix: 'pnpm', execPrefix: 'pnpm exec' },
  { id: 'yarn', label: 'yarn', hint: 'classic or Berry', install: ['yarn'], runPrefix: 'yarn', execPrefix: 'yarn' },
  { id: 'bun', label: 'bun', hint: "Bun's built-in package manager", install: ['bun', 'install'], runPrefix: 'bun run', execPrefix: 'bunx' },
] as const satisfies readonly PackageManager[];

export type PackageManagerId = (typeof packageManagers)[number]['id'];

export function getPackageManager(id: PackageManagerId): PackageManager {
  const row = packageManagers.find((p) => p.id === id);
  if (!row) throw new Error(`unknown package manager ${id}`);
  return row;
}

/**
 * The package manager that launched us, read from `npm_config_user_agent`
 * (`"pnpm/9.1.0 npm/? node/v20.12.0 linux x64"`); npm when absent or unknown.
 */
export function detectPackageManager(userAgent: string | undefined): PackageManagerId {
  const name = userAgent?.split(' ')[0]?.split('/')[0];
  return packageManagers.find((p) => p.id === name)?.id ?? 'npm';
}
