/**
 * (template layers, context) → Map<output path, contents>. Pure apart from reading the templates: nothing is
 * written here, so a dry run, the writer and a future `update` merge all start from the same in-memory project.
 */
import { CliError } from '../errors.js';
import type { TemplateContext } from './context.js';
import { EJS_SUFFIX, toTemplateSource, type TemplateSource } from './template-source.js';

export type ProjectFiles = Map<string, string | Buffer>;

export interface RenderOptions {
  /** Called when a later layer replaces a file from an earlier one (tests assert every override is intended). */
  onOverride?: (outputPath: string, replaced: string, replacement: string) => void;
}

/** `_gitignore` → `.gitignore`, `src/_x/y.ts.ejs` → `src/.x/y.ts`: npm drops or mangles dot files when publishing. */
export function toOutputPath(templatePath: string): string {
  const path = templatePath.endsWith(EJS_SUFFIX) ? templatePath.slice(0, -EJS_SUFFIX.length) : templatePath;
  return path
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/');
}

/**
 * Renders `layers` (in order) from `templates` (a source, or a folder). `.ejs` files are rendered with `context`
 * and lose the suffix; other files are copied byte for byte. A rendered file that is empty or whitespace-only is
 * dropped, so a layer can opt out of a file with a condition (an earlier layer's file of that path then stays).
 */
export async function renderProject(
  templates: TemplateSource | URL | string,
  layers: readonly string[],
  context: TemplateContext,
  options: RenderOptions = {},
): Promise<ProjectFiles> {
  const source = toTemplateSource(templates);
  const files: ProjectFiles = new Map();
  const origins = new Map<string, string>();
  for (const layer of layers) {
    const fromThisLayer = new Map<string, string>();
    for (const template of await source.layer(layer)) {
      const outputPath = toOutputPath(template.path);
      const twin = fromThisLayer.get(outputPath);
      if (twin) throw new CliError('template_error', `templates ${twin} and ${template.source} both produce ${outputPath}`);
      fromThisLayer.set(outputPath, template.source);
      let contents: string | Buffer;
      if (template.render) {
        contents = renderTemplate(template.render, template.source, context);
        if (contents.trim() === '') continue;
      } else {
        contents = template.contents ?? Buffer.alloc(0);
      }
      const replaced = origins.get(outputPath);
      if (replaced) options.onOverride?.(outputPath, replaced, template.source);
      origins.set(outputPath, template.source);
      files.set(outputPath, contents);
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Runs one compiled template; any failure names the template it came from (`label`). */
export function renderTemplate(render: (context: object) => string, label: string, context: object): string {
  try {
    return render(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError('template_error', `template ${label} failed to render: ${message}`, { cause: error });
  }
}
