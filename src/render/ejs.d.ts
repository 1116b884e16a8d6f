// ejs 7 ships no types; this declares only what render.ts uses (the ESM build has a default export only).
declare module 'ejs' {
  export interface Options {
    async?: false;
    filename?: string;
    escape?: (value: unknown) => string;
    localsName?: string;
    _with?: boolean;
    strict?: boolean;
    compileDebug?: boolean;
  }
  export type TemplateFunction = (data: object) => string;
  const ejs: { compile(template: string, options: Options): TemplateFunction };
  export default ejs;
}
