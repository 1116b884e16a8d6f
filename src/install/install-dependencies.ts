/**
 * Runs the package manager's install in the new project, its output piped through. A failure is not rolled
 * back: the project is complete, so the error says how to retry.
 */
import { CliError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PackageManager } from './package-managers.js';

export interface InstallOptions {
  cwd: string;
  /** How the user gets to the project, for the retry hint (`cd my-server`). */
  displayDir: string;
  logger: Logger;
  /** 'inherit' shows the manager's progress; tests pass 'ignore'. */
  stdio?: 'inherit' | 'ignore';
}

export async function installDependencies(manager: PackageManager, options: InstallOptions): Promise<void> {
  const [command, ...args] = manager.install;
  // Loaded here, not at the top: `--no-install` never pays for execa (scaffold time is benchmarked).
  const { execa } = await import('execa');
  const commandLine = manager.install.join(' ');
  const started = performance.now();
  options.logger.info(`\nInstalling dependencies with ${commandLine}…`);
  try {
    await execa(command, args, { cwd: options.cwd, stdio: options.stdio ?? 'inherit' });
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    const why = missing ? `${command} was not found on PATH` : `${commandLine} failed`;
    throw new CliError(
      'install_failed',
      `${why}. The project is complete; install later with: cd ${options.displayDir} && ${commandLine}`,
      { cause: error },
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  options.logger.info(`Installed dependencies in ${seconds}s.`);
}
