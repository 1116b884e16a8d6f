// ejs 7 ships no types; this declares only what the renderer uses (the ESM build has a default export only).
declare module 'ejs' {
  export interface Options {
    async?: false;
    filename?: string;
    escape?: (value: unknown) => string;
    localsName?: string;
    _with?: boolean;
    strict?: boolean;
    destructuredLocals?: string[];
    compileDebug?: boolean;
  }
  export type TemplateFunction = (data: object) => string;
  /** After `compile()`, `source` is the generated function body (params: locals, escapeFn, include, rethrow). */
  export interface Template {
    source: string;
    compile(): unknown;
  }
  const ejs: {
    compile(template: string, options: Options): TemplateFunction;
    Template: new (template: string, options: Options) => Template;
  };
  export default ejs;
}
