/**
 * Entry point: argv → command. The only place that prints a CliError and sets the exit code. `--help` and
 * `--version` load nothing but the flag tables; each command is a bundle of its own (`src/entries/`, built into
 * dist/create.js, dist/update.js, dist/doctor.js), imported on demand.
 */
import { isatty } from 'node:tty';
import { parseFlags } from './answers/flags.js';
import { formatHelp } from './commands/help.js';
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

/** `update` and `add tool`: loaded on demand, like `create`. Returns the exit code (see `commands/update.ts`). */
async function runSubcommand(name: 'update' | 'add', argv: readonly string[]): Promise<number> {
  const commands = await import('./entries/update.js');
  const io = { cwd: process.cwd(), env: process.env, isTTY: onTerminal(), logger: consoleLogger, templates: commands.resolveTemplates(process.env) };
  if (name === 'update') {
    const command = commands.parseUpdateArgs(argv);
    if (command.action === 'help') return (process.stdout.write(commands.formatUpdateHelp()), 0);
    return commands.update(command.args, io);
  }
  const command = commands.parseAddArgs(argv);
  if (command.action === 'help') return (process.stdout.write(commands.formatAddHelp()), 0);
  return commands.addTool(command.args, io);
}

async function main(argv: readonly string[]): Promise<void> {
  // `doctor` checks a live provider against a project (or --issuer); a project folder named doctor needs ./doctor.
  if (argv[0] === 'doctor') {
    const { doctor } = await import('./entries/doctor.js');
    const { ready } = await doctor(argv.slice(1), { cwd: process.cwd(), env: process.env, logger: consoleLogger });
    process.exitCode = ready ? 0 : 1;
    return;
  }
  // A project folder named `update` or `add` is created with `./update`.
  if (argv[0] === 'update' || argv[0] === 'add') {
    process.exitCode = await runSubcommand(argv[0], argv.slice(1));
    return;
  }
  const args = parseFlags(argv);
  if (args.action === 'help') {
    process.stdout.write(formatHelp());
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
