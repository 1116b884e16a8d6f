// Generated at build time by scripts/build.mjs from templates/ (see render/precompile.ts); exists only in the bundle.
declare module 'virtual:precompiled-templates' {
  export const files: readonly import('./template-source.js').PrecompiledFile[];
}
