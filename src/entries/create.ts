// Bundle entry (scripts/build.mjs → dist/create.js): everything `create` needs, templates included, in one file;
// prompts and execa stay in chunks of their own, loaded only for a terminal session or an install.
export { create } from '../commands/create.js';
export { resolveTemplates } from '../render/templates-root.js';
