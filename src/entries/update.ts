// Bundle entry (scripts/build.mjs → dist/update.js): `update` and `add tool`, which read answers back (zod) and
// render the templates.
export { addTool } from '../commands/add-tool.js';
export { update } from '../commands/update.js';
export { formatAddHelp, formatUpdateHelp, parseAddArgs, parseUpdateArgs } from '../commands/update-args.js';
export { resolveTemplates } from '../render/templates-root.js';
