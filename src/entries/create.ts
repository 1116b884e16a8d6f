// Bundle entry (scripts/build.mjs → dist/create.js): everything `create` needs, templates included, in one file;
// prompts and execa are vendor bundles (dist/vendor-*.js), loaded only for a terminal session or an install.
export { create } from '../create/run.js';
export { resolveTemplates } from '../render/templates-root.js';
