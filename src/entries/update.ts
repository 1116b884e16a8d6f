// Bundle entry (scripts/build.mjs → dist/update.js): `update` and `add tool`, which read answers back (zod) and
// render the templates. Their argv is parsed by cli.ts (src/cli/update-flags.ts, src/cli/add-tool-flags.ts).
export { addTool } from '../update/add-tool.js';
export { update } from '../update/run.js';
export { resolveTemplates } from '../render/templates-root.js';
