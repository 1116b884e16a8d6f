/**
 * Build time only (scripts/build.mjs): the template tree → the source of an ES module exporting `files`, a
 * `PrecompiledFile[]` for `precompiledTemplates`. `.ejs` files become ejs's own generated functions, compiled with
 * the options every template uses (ejs-options.ts); other files are embedded as text (or base64 when not UTF-8 text).
 * Without ejs's debug wrapper: a render error names the template, not its line (the folder source adds lines).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ejs from 'ejs';
import { ejsOptions } from './ejs-options.js';
import { EJS_SUFFIX, listFiles } from './template-source.js';

const isUtf8Text = (bytes: Buffer) => !bytes.includes(0) && Buffer.from(bytes.toString('utf8')).equals(bytes);

export async function precompileTemplates(root: string): Promise<string> {
  const entries: string[] = [];
  for (const source of await listFiles(root)) {
    const bytes = await readFile(join(root, source));
    let body: string;
    if (source.endsWith(EJS_SUFFIX)) {
      // ejs's generated body, wrapped in the signature ejs gives it; the escape function is passed at render time.
      const template = new ejs.Template(bytes.toString('utf8'), { ...ejsOptions(source), compileDebug: false });
      template.compile();
      body = `function (locals, escapeFn) {\n"use strict";\n${template.source}}`;
    } else {
      body = isUtf8Text(bytes) ? JSON.stringify(bytes.toString('utf8')) : JSON.stringify({ base64: bytes.toString('base64') });
    }
    entries.push(`[${JSON.stringify(source)}, ${body}]`);
  }
  return `export const files = [\n${entries.join(',\n')}\n];\n`;
}
