// Bundle entry (scripts/build.mjs → dist/doctor.js): `doctor`, which needs neither templates nor prompts.
export { doctor } from '../doctor/run.js';
