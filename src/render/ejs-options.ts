/**
 * The one set of ejs options every template is compiled with, at build time (`precompile.ts`) and from a folder
 * (`template-source.ts`), so both produce the same functions. Strict mode with the context's fields declared as
 * locals (instead of ejs's default `with`): a template that names anything else fails loudly.
 */
import type { Options } from 'ejs';

/** The fields of `TemplateContext` (render/context.ts) plus what tool templates see (update/render-generated.ts). */
export const TEMPLATE_LOCALS = [
  'generatorVersion',
  'answers',
  'provider',
  'broker',
  'runtime',
  'features',
  'tokenRules',
  'versions',
  'scopes',
  'env',
  'pm',
  'esc',
  'addedTools',
  'tool',
] as const;

/** `<%= %>` would HTML-escape a value into code: templates must pick an escaper for the target language. */
export function refuseHtmlEscape(filename: string): (value: unknown) => string {
  return (value) => {
    // ejs also sends the file name through this function when it adds line context to an error: let that through.
    if (value === filename) return filename;
    throw new Error('use <%- esc.ts(…) %>, esc.json, esc.env or esc.md instead of <%= %>, which would HTML-escape into code');
  };
}

export function ejsOptions(filename: string): Options {
  return {
    filename,
    async: false,
    strict: true,
    _with: false,
    destructuredLocals: [...TEMPLATE_LOCALS],
    escape: refuseHtmlEscape(filename),
  };
}
