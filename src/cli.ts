/**
 * Entry point: argv → command. The only place that prints a CliError and sets the exit code. Every command's argv
 * is parsed here, from its flag table (src/cli/), so `--help`, `--version` and flag errors load nothing else; each
 * command is a bundle of its own (`src/entries/`, built into dist/create.js, dist/update.js, dist/doctor.js),
 * imported on demand.
 */
import { isatty } from 'node:tty';
import { parseFlags } from './answers/flags.js';
import { formatAddHelp, parseAddArgs } from './cli/add-tool-flags.js';
import { formatCreateHelp } from './cli/create-help.js';
import { formatDoctorHelp, parseDoctorArgs } from './cli/doctor-flags.js';
import { formatUpdateHelp, parseUpdateArgs } from './cli/update-flags.js';
import { CliError } from './errors.js';
import { generatorVersion } from './generator-version.js';
import { consoleLogger } from './logger.js';

/** Prompts are possible. `isatty`, not `process.stdin.isTTY`: touching process.stdin builds a stream (a few ms). */
const onTerminal = () => isatty(0) && isatty(1);

// `create-mcp-auth-server --dry-run | head` closes the pipe early: stop writing quietly instead of crashing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

/** Prints a command's help; exit code 0. */
function printHelp(help: string): number {
  process.stdout.write(help);
  return 0;
}

/** The bundle of `update` and `add tool`, loaded on demand like `create`, with what they run against. */
async function loadUpdateBundle() {
  const commands = await import('./entries/update.js');
  const io = { cwd: process.cwd(), env: process.env, isTTY: onTerminal(), logger: consoleLogger, templates: commands.resolveTemplates(process.env) };
  return { commands, io };
}

/** `update` and `add tool` return their exit code (see `update/run.ts`). */
async function runUpdate(argv: readonly string[]): Promise<number> {
  const command = parseUpdateArgs(argv);
  if (command.action === 'help') return printHelp(formatUpdateHelp());
  const { commands, io } = await loadUpdateBundle();
  return commands.update(command.args, io);
}

async function runAdd(argv: readonly string[]): Promise<number> {
  const command = parseAddArgs(argv);
  if (command.action === 'help') return printHelp(formatAddHelp());
  const { commands, io } = await loadUpdateBundle();
  return commands.addTool(command.args, io);
}

/** `doctor` checks a live provider against a project (or --issuer). Returns the exit code: 0 ready, 1 not. */
async function runDoctor(argv: readonly string[]): Promise<number> {
  const command = parseDoctorArgs(argv);
  if (command.action === 'help') return printHelp(formatDoctorHelp());
  const { doctor } = await import('./entries/doctor.js');
  const { ready } = await doctor(command.args, { cwd: process.cwd(), env: process.env, logger: consoleLogger });
  return ready ? 0 : 1;
}

/** A project folder named `doctor`, `update` or `add` is created with `./doctor`, `./update` or `./add`. */
const SUBCOMMANDS = new Map([
  ['doctor', runDoctor],
  ['update', runUpdate],
  ['add', runAdd],
]);

async function main(argv: readonly string[]): Promise<void> {
  const subcommand = SUBCOMMANDS.get(argv[0] ?? '');
  if (subcommand) {
    process.exitCode = await subcommand(argv.slice(1));
    return;
  }
  const args = parseFlags(argv);
  if (args.action === 'help') {
    process.stdout.write(formatCreateHelp());
    return;
  }
  if (args.action === 'version') {
    process.stdout.write(`${generatorVersion}\n`);
    return;
  }
  const { create, resolveTemplates } = await import('./entries/create.js');
  await create(args, {
    cwd: process.cwd(),
    env: process.env,
    isTTY: onTerminal(),
    logger: consoleLogger,
    templates: resolveTemplates(process.env),
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (process.env['DEBUG'] && error.cause instanceof Error) process.stderr.write(`${error.cause.stack}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  const debug = Boolean(process.env['DEBUG']);
  const detail = error instanceof Error ? (debug ? error.stack : error.message) : String(error);
  process.stderr.write(`error: unexpected failure: ${detail}\n`);
  if (!debug) process.stderr.write('Run again with DEBUG=1 for the stack trace, and please report it.\n');
  process.exitCode = 1;
});
