/**
 * Where templates come from. One contract, two sources:
 * - `templateDirectory(root)` reads a template tree from disk and compiles each `.ejs` file when it is used (the
 *   generator's tests, and `CREATE_MCP_AUTH_SERVER_TEMPLATES`);
 * - `precompiledTemplates(files)` serves the same tree compiled to functions at build time (`precompile.ts`,
 *   bundled by scripts/build.mjs), so the shipped CLI reads no template file and never loads ejs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../errors.js';
import { ejsOptions, refuseHtmlEscape } from './ejs-options.js';

export interface TemplateFile {
  /** Path inside its layer, POSIX: `src/config.ts.ejs`. */
  path: string;
  /** Path from the template root, for messages: `base/src/config.ts.ejs`. */
  source: string;
  /** `.ejs` files: the compiled template. Other files are copied byte for byte from `contents`. */
  render?: (context: object) => string;
  contents?: string | Buffer;
}

export interface TemplateSource {
  /** Every file under `layer` (`base`, `framework/hono`), in a stable order; a CliError when there is no such layer. */
  layer(layer: string): Promise<TemplateFile[]>;
  /** One file by its path from the root (`base/src/tools/_tool.ts.ejs`), or undefined. */
  file(source: string): Promise<TemplateFile | undefined>;
}

export const EJS_SUFFIX = '.ejs';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every regular file under `dir`, as POSIX paths relative to it, folder by folder in name order (same on every OS). */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort(byName)) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else if (entry.isFile()) files.push(path);
    else throw new CliError('template_error', `template ${path} is neither a file nor a folder (symlinks are not shipped by npm)`);
  }
  return files;
}

const layerNotFound = (layer: string, where: string, cause?: unknown) =>
  new CliError('template_error', `template layer ${layer} not found in ${where}`, cause === undefined ? {} : { cause });

/** A source as given, or the folder at a path or file: URL. */
export function toTemplateSource(templates: TemplateSource | URL | string): TemplateSource {
  return typeof templates === 'string' || templates instanceof URL ? templateDirectory(templates) : templates;
}

/** A template tree on disk (a path or a file: URL). */
export function templateDirectory(root: URL | string): TemplateSource {
  const dir = root instanceof URL || root.startsWith('file:') ? fileURLToPath(root) : root;
  async function load(source: string, path: string): Promise<TemplateFile> {
    const absolute = join(dir, source);
    if (!source.endsWith(EJS_SUFFIX)) return { path, source, contents: await readFile(absolute) };
    const text = await readFile(absolute, 'utf8');
    // Loaded here, not at the top: the bundled CLI uses precompiled templates and never needs ejs.
    const { default: ejs } = await import('ejs');
    // Compiled on first use, so a template that does not parse is reported like one that fails to render.
    let compiled: ((context: object) => string) | undefined;
    return { path, source, render: (context) => (compiled ??= ejs.compile(text, ejsOptions(absolute)))(context) };
  }
  return {
    async layer(layer) {
      let paths: string[];
      try {
        paths = await listFiles(join(dir, layer));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw layerNotFound(layer, dir, error);
      }
      return Promise.all(paths.map((path) => load(`${layer}/${path}`, path)));
    },
    async file(source) {
      try {
        return await load(source, source);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

/** A compiled `.ejs` file as precompile.ts writes it: ejs's generated body in a `(locals, escapeFn)` function. */
export type CompiledTemplate = (locals: object, escapeFn: (value: unknown) => string) => string;
/** [path from the root, compiled template | UTF-8 text | base64 bytes], in `listFiles` order. */
export type PrecompiledFile = readonly [source: string, body: CompiledTemplate | string | { base64: string }];

export function precompiledTemplates(files: readonly PrecompiledFile[]): TemplateSource {
  const toFile = ([source, body]: PrecompiledFile, path: string): TemplateFile => {
    if (typeof body === 'function') {
      const escapeFn = refuseHtmlEscape(source);
      return { path, source, render: (context) => body(context, escapeFn) };
    }
    return { path, source, contents: typeof body === 'string' ? body : Buffer.from(body.base64, 'base64') };
  };
  return {
    async layer(layer) {
      const prefix = `${layer}/`;
      const inLayer = files.filter(([source]) => source.startsWith(prefix));
      if (inLayer.length === 0) throw layerNotFound(layer, 'the built-in templates');
      return inLayer.map((file) => toFile(file, file[0].slice(prefix.length)));
    },
    async file(source) {
      const found = files.find(([path]) => path === source);
      return found && toFile(found, source);
    },
  };
}
