/**
 * What the generator renders for a set of answers, tools included: the "theirs" of an update (and, for a project
 * without a pristine base, the best available base). The project files come from `renderProject`; each tool
 * recorded by `add tool` is one more render of the tool templates (`src/tools/_tool.ts.ejs` and
 * `test/tools/_tool.test.ts.ejs` in the base layer, which render to nothing without a `tool`).
 */
import { parseEnv } from 'node:util';
import type { Answers } from '../answers/answers.js';
import { toolFileName, toolIdentifier, toolTitle, type ToolAnswer } from '../answers/tool.js';
import { CliError } from '../errors.js';
import { createTemplateContext, type RenderSecrets, type TemplateContext } from '../render/context.js';
import { planLayers } from '../render/plan.js';
import { renderProject, renderTemplate, type ProjectFiles } from '../render/render.js';
import { toTemplateSource, type TemplateSource } from '../render/template-source.js';

/** What a tool template sees as `tool` (and `added.ts.ejs` as each entry of `addedTools`). */
export interface ToolLocals extends ToolAnswer {
  title: string;
  /** File name without extension: `src/tools/<file>.ts`. */
  file: string;
  /** The exported TypeScript name. */
  identifier: string;
}

/** The secrets a project's `.env` (or a Worker's `.dev.vars`) holds that a render writes (absent or unreadable: none). */
export function projectSecrets(env: string | Buffer | undefined): RenderSecrets {
  if (env === undefined) return {};
  const secret = parseEnv(env.toString()).AUTH_BROKER_SECRET;
  return secret ? { brokerSecret: secret } : {};
}

/** The tool templates, in the base layer, and where each tool's copy goes. */
const TOOL_TEMPLATES = [
  { template: 'base/src/tools/_tool.ts.ejs', output: (file: string) => `src/tools/${file}.ts` },
  { template: 'base/test/tools/_tool.test.ts.ejs', output: (file: string) => `test/tools/${file}.test.ts` },
] as const;

export function toolLocals(tool: ToolAnswer): ToolLocals {
  const locals = { ...tool, title: toolTitle(tool.name), file: toolFileName(tool.name), identifier: toolIdentifier(tool.name) };
  // Derived from a validated name; checked again because they land in code unquoted.
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(locals.identifier) || !/^[a-z0-9][a-z0-9-]*$/.test(locals.file)) {
    throw new CliError('invalid_answer', `tool name ${JSON.stringify(tool.name)} cannot be turned into a file and a TypeScript name`);
  }
  return locals;
}

/**
 * Renders the project for `answers` (with its added tools), in memory. `secrets`: the project's own, read back from
 * its `.env`, so that an unchanged `.env` renders the same and is kept (update never generates a secret).
 */
export async function renderGenerated(templates: TemplateSource | URL | string, answers: Answers, secrets: RenderSecrets = {}): Promise<ProjectFiles> {
  const source = toTemplateSource(templates);
  const tools = (answers.tools ?? []).map(toolLocals);
  const context: TemplateContext & { addedTools: ToolLocals[] } = { ...createTemplateContext(answers, undefined, secrets), addedTools: tools };
  const files = await renderProject(source, planLayers(answers), context);
  if (tools.length === 0) return files;
  for (const { template, output } of TOOL_TEMPLATES) {
    const file = await source.file(template);
    if (!file?.render) throw new CliError('template_error', `the templates have no ${template}, needed for added tools`);
    for (const tool of tools) {
      const out = output(tool.file);
      if (files.has(out)) throw new CliError('template_error', `tool ${tool.name} would replace the generated ${out}`);
      files.set(out, renderTemplate(file.render, `${template} (for tool ${tool.name})`, { ...context, tool }));
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
