/**
 * (template layers, context) → Map<output path, contents>. Pure apart from reading the templates: nothing is
 * written here, so a dry run, the writer and a future `update` merge all start from the same in-memory project.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { CliError } from '../errors.js';
import type { TemplateContext } from './context.js';

export type ProjectFiles = Map<string, string | Buffer>;

export interface RenderOptions {
  /** Called when a later layer replaces a file from an earlier one (tests assert every override is intended). */
  onOverride?: (outputPath: string, replaced: string, replacement: string) => void;
}

const EJS_SUFFIX = '.ejs';

/** `_gitignore` → `.gitignore`, `src/_x/y.ts.ejs` → `src/.x/y.ts`: npm drops or mangles dot files when publishing. */
export function toOutputPath(templatePath: string): string {
  const path = templatePath.endsWith(EJS_SUFFIX) ? templatePath.slice(0, -EJS_SUFFIX.length) : templatePath;
  return path
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/');
}

/** Every regular file under `dir`, as sorted POSIX paths relative to it (deterministic on every OS). */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else if (entry.isFile()) files.push(path);
    else throw new CliError('template_error', `template ${path} is neither a file nor a folder (symlinks are not shipped by npm)`);
  }
  return files;
}

function renderEjs(text: string, filename: string, context: TemplateContext): string {
  const template = ejs.compile(text, {
    filename,
    async: false,
    _with: true, // templates use context fields as top-level names: <%- esc.ts(answers.issuer) %>
    strict: false, // `with` is not allowed in strict mode
    escape(value) {
      // ejs also sends the file name through this function when it adds line context to an error: let that through.
      if (value === filename) return filename;
      throw new Error('use <%- esc.ts(…) %>, esc.json, esc.env or esc.md instead of <%= %>, which would HTML-escape into code');
    },
  });
  return template(context);
}

async function readLayer(root: string, layer: string): Promise<string[]> {
  try {
    return await listFiles(join(root, layer));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('template_error', `template layer ${layer} not found in ${root}`, { cause: error });
  }
}

/**
 * Renders `layers` (in order) of the template tree at `templatesRoot`. `.ejs` files are rendered with `context`
 * and lose the suffix; other files are copied byte for byte. A rendered file that is empty or whitespace-only is
 * dropped, so a layer can opt out of a file with a condition (an earlier layer's file of that path then stays).
 */
export async function renderProject(
  templatesRoot: URL | string,
  layers: readonly string[],
  context: TemplateContext,
  options: RenderOptions = {},
): Promise<ProjectFiles> {
  const root = templatesRoot instanceof URL || templatesRoot.startsWith('file:') ? fileURLToPath(templatesRoot) : templatesRoot;
  const files: ProjectFiles = new Map();
  const origins = new Map<string, string>();
  for (const layer of layers) {
    const fromThisLayer = new Map<string, string>();
    for (const templatePath of await readLayer(root, layer)) {
      const source = `${layer}/${templatePath}`;
      const outputPath = toOutputPath(templatePath);
      const twin = fromThisLayer.get(outputPath);
      if (twin) throw new CliError('template_error', `templates ${twin} and ${source} both produce ${outputPath}`);
      fromThisLayer.set(outputPath, source);
      const absolute = join(root, layer, templatePath);
      let contents: string | Buffer;
      if (templatePath.endsWith(EJS_SUFFIX)) {
        try {
          contents = renderEjs(await readFile(absolute, 'utf8'), absolute, context);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new CliError('template_error', `template ${source} failed to render: ${message}`, { cause: error });
        }
        if (contents.trim() === '') continue;
      } else {
        contents = await readFile(absolute);
      }
      const replaced = origins.get(outputPath);
      if (replaced) options.onOverride?.(outputPath, replaced, source);
      origins.set(outputPath, source);
      files.set(outputPath, contents);
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
