/**
 * answers → the object every template sees. Templates read its fields as top-level names (`answers`, `provider`,
 * `features`, `tokenRules`, `scopes`, `env`, `pm`, `esc`, `versions`, `generatorVersion`), declared in ejs-options.ts.
 */
import type { Answers } from '../answers/answers.js';
import { generatorVersion as currentVersion } from '../generator-version.js';
import { getPackageManager } from '../install/package-managers.js';
import { getProvider, type ProviderPreset } from '../providers/index.js';
import { tokenRulesFor, type TokenRules } from '../providers/token-rules.js';
import { versions } from '../versions.js';
import { esc, type Escapers } from './escape.js';
import { planFeatures, type ProjectFeatures } from './plan.js';
import { resolveChoices, type ProjectChoices } from '../answers/project-choices.js';

/** Where the generated server listens by default; also what its README and next steps print. */
export const DEFAULT_PORT = '3000';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MCP_SERVER_URL = `http://localhost:${DEFAULT_PORT}/mcp`;

export interface TemplateContext {
  generatorVersion: string;
  /** The answers, with `tokenFormat` and `metadataShim` filled in from the preset where the file has none. */
  answers: Answers & ProjectChoices;
  /** The row of the providers table for `answers.provider`. */
  provider: ProviderPreset;
  /** The optional parts this project holds (see plan.ts): templates wire them in only where present. */
  features: ProjectFeatures;
  /** The token rules the generated server enforces: `src/auth/provider.ts` renders them as they are. */
  tokenRules: TokenRules;
  versions: typeof versions;
  /** `read` is the first scope, `write` the second (or the first when there is only one). */
  scopes: { all: string[]; read: string; write: string };
  /** Default values for the generated `.env`. `AUTH_AUDIENCE` is '' when the server's own URL is the audience. */
  env: { PORT: string; HOST: string; MCP_SERVER_URL: string; AUTH_ISSUER: string; AUTH_AUDIENCE: string };
  /** Commands in the chosen package manager's words: `pm.run('dev')` → `pnpm dev`. */
  pm: { name: string; install: string; run: (script: string) => string; exec: (bin: string) => string };
  esc: Escapers;
}

export function createTemplateContext(answers: Answers, generatorVersion = currentVersion): TemplateContext {
  const [read = '', second] = answers.scopes;
  const manager = getPackageManager(answers.packageManager);
  const provider = getProvider(answers.provider);
  return {
    generatorVersion,
    answers: { ...answers, ...resolveChoices(answers) },
    provider,
    features: planFeatures(answers),
    tokenRules: tokenRulesFor(provider, answers.providerInputs ?? {}),
    versions,
    scopes: { all: [...answers.scopes], read, write: second ?? read },
    env: {
      PORT: DEFAULT_PORT,
      HOST: DEFAULT_HOST,
      MCP_SERVER_URL: DEFAULT_MCP_SERVER_URL,
      AUTH_ISSUER: answers.issuer,
      AUTH_AUDIENCE: answers.audience ?? '',
    },
    pm: {
      name: manager.id,
      install: manager.install.join(' '),
      run: (script) => `${manager.runPrefix} ${script}`,
      exec: (bin) => `${manager.execPrefix} ${bin}`,
    },
    esc,
  };
}
