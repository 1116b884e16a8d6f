// A named JSON import: esbuild inlines just this field, so the bundle does not carry the whole package.json.
import { version } from '../package.json';

/** This generator's version, recorded in every project's answers file. */
export const generatorVersion: string = version;
