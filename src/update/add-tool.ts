/**
 * `create-mcp-auth-server add tool <name>`: records a tool in the answers file and applies it through the update
 * machinery, so the tool file, its test and its line in `src/tools/added.ts` come from the templates, and every
 * later `update` knows about it. Its scopes reach the metadata and the 401 challenge by themselves: the server
 * advertises every scope its tools declare.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkToolIsNew, toolFileName, validateToolDescription, validateToolName, type ToolAnswer } from '../answers/tool.js';
import { validateScopes } from '../answers/validate.js';
import { runUpdate, type UpdateIO } from './run.js';

export interface AddToolArgs {
  name: string;
  /** Comma-separated; default: the project's read scope (its first). */
  scopes?: string;
  description?: string;
  /** The project folder; the current one by default. */
  dir?: string;
  dryRun: boolean;
}

/** Names of tools written by hand in src/tools/*.ts (`name: 'x'`), so a new tool cannot shadow one. */
async function handWrittenToolNames(projectDir: string): Promise<string[]> {
  const dir = join(projectDir, 'src/tools');
  const files = await readdir(dir).catch(() => [] as string[]);
  const names: string[] = [];
  for (const file of files.filter((name) => name.endsWith('.ts'))) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    for (const match of text.matchAll(/\bname:\s*(['"`])([A-Za-z0-9_.-]{1,64})\1/g)) names.push(match[2]!);
  }
  return names;
}

export function addTool(args: AddToolArgs, io: UpdateIO): Promise<number> {
  // Validate what was typed before touching anything.
  const name = validateToolName(args.name);
  const explicitScopes = args.scopes === undefined ? undefined : validateScopes(args.scopes);
  const description = validateToolDescription(args.description ?? `TODO: describe what ${name} does (src/tools/${toolFileName(name)}.ts).`);
  return runUpdate(
    {
      projectDir: resolve(io.cwd, args.dir ?? '.'),
      dryRun: args.dryRun,
      check: false,
      done: `Added tool ${name} (src/tools/${toolFileName(name)}.ts) to`,
      async nextAnswers({ answers }, projectDir) {
        const recorded = answers.tools ?? [];
        // Only hand-written names: files of recorded tools also hold `name: '…'`.
        const handWritten = (await handWrittenToolNames(projectDir)).filter((other) => !recorded.some((tool) => tool.name === other));
        checkToolIsNew(name, { recorded, handWritten });
        const tool: ToolAnswer = { name, scopes: explicitScopes ?? [answers.scopes[0]!], description };
        return { ...answers, tools: [...recorded, tool] };
      },
    },
    io,
  );
}
