/**
 * answers → the object every template sees. Templates read its fields as top-level names (`answers`, `provider`,
 * `features`, `tokenRules`, `scopes`, `env`, `pm`, `esc`, `versions`, `generatorVersion`), declared in ejs-options.ts.
 */
import { dirname } from 'node:path';
import type { Answers } from '../answers/answers.js';
import { generatorVersion as currentVersion } from '../generator-version.js';
import { getPackageManager } from '../install/package-managers.js';
import { getProvider, type BrokerPreset, type ProviderPreset } from '../providers/index.js';
import { fillTemplate, fillText } from '../providers/resolve-preset.js';
import { tokenRulesFor, type TokenRules } from '../providers/token-rules.js';
import { versions } from '../versions.js';
import { esc, type Escapers } from './escape.js';
import { planFeatures, type ProjectFeatures } from './plan.js';
import { resolveChoices, type ProjectChoices } from '../answers/project-choices.js';
import { getRuntime, serveCommand, type RuntimeChoice, type RuntimeId } from '../stack/runtimes.js';

/** Where the generated server listens by default; also what its README and next steps print. */
export const DEFAULT_PORT = '3000';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MCP_SERVER_URL = `http://localhost:${DEFAULT_PORT}/mcp`;
/** Where the provider sends users back to the broker: register `<origin of MCP_SERVER_URL>` + this path there. */
export const BROKER_CALLBACK_PATH = '/oauth/callback';
/** The broker's state for a single instance (clients, grants, signing keys), git-ignored under `.data/`. */
export const BROKER_STATE_FILE = '.data/broker-state.json';

/** Secrets a render may write into `.env`: only `create` generates them, `update` passes back the project's own. */
export interface RenderSecrets {
  /** AUTH_BROKER_SECRET: base64url of 32 random bytes; '' leaves it empty (to fill in by hand). */
  brokerSecret?: string;
}

/** What broker templates (`.env`, README, config) need beyond `provider.broker`. */
export interface BrokerContext {
  callbackPath: string;
  /** The callback for the default MCP_SERVER_URL (the README says how it follows MCP_SERVER_URL). */
  callbackUrl: string;
  /** The console steps, `{callbackUrl}` and the preset's inputs filled in. */
  setup: string[];
  /** The broker's `.env` values, in the order they are written; '' = empty (to fill in). */
  env: Record<string, string>;
}
export interface TemplateContext {
  generatorVersion: string;
  /**
   * The answers, with `tokenFormat` and `metadataShim` filled in from the preset where the file has none, and the
   * runtime (node where the file has none).
   */
  answers: Answers & ProjectChoices & { runtime: RuntimeId };
  /**
   * The row of the providers table for `answers.provider`. In a broker project its `broker` has the preset's
   * `{input}` placeholders filled in (plain OAuth 2: the endpoints and the user id field given as flags).
   */
  provider: ProviderPreset;
  /** Broker mode's callback, console steps and `.env` values; `null` in a resource-server project. */
  broker: BrokerContext | null;
  /** The runtimes table's row for `answers.runtime`, with `serve` made this project's (Deno: allowed to write the broker's state). */
  runtime: RuntimeChoice;
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

/** The preset's broker part with its `{input}` placeholders filled in from the project's inputs. */
function fillBrokerPreset(preset: BrokerPreset, inputs: Readonly<Record<string, string>>): BrokerPreset {
  const fill = (text: string) => fillTemplate(text, inputs) ?? text;
  const { endpoints, userIdField, profileUrl, ...rest } = preset;
  return {
    ...rest,
    ...(endpoints ? { endpoints: { authorization: fill(endpoints.authorization), token: fill(endpoints.token), userinfo: fill(endpoints.userinfo) } } : {}),
    ...(userIdField !== undefined ? { userIdField: fill(userIdField) } : {}),
    ...(profileUrl !== undefined ? { profileUrl: fill(profileUrl) } : {}),
  };
}

/** The broker's `.env` values: the app's credentials are left empty (they come from the provider's console). */
function brokerEnv(preset: BrokerPreset, issuer: string, secret: string): Record<string, string> {
  return {
    AUTH_ISSUER: issuer,
    AUTH_CLIENT_ID: '',
    AUTH_CLIENT_SECRET: '',
    AUTH_BROKER_SECRET: secret,
    // Comma-separated: a quoted value with spaces reaches the server with its quotes under `docker run --env-file`.
    AUTH_UPSTREAM_SCOPES: preset.upstreamScopes.split(' ').filter(Boolean).join(','),
    ...(preset.endpoints
      ? { AUTH_AUTHORIZATION_URL: preset.endpoints.authorization, AUTH_TOKEN_URL: preset.endpoints.token, AUTH_USERINFO_URL: preset.endpoints.userinfo }
      : {}),
    ...(preset.identity === 'user-api' && preset.userIdField !== undefined ? { AUTH_USER_ID_FIELD: preset.userIdField } : {}),
    ...(preset.profileUrl !== undefined ? { AUTH_UPSTREAM_PROFILE_URL: preset.profileUrl } : {}),
    AUTH_BROKER_STATE_FILE: BROKER_STATE_FILE,
  };
}

function projectRuntime(id: RuntimeId, broker: boolean): RuntimeChoice {
  const row = getRuntime(id);
  const serve = serveCommand(row, broker ? dirname(BROKER_STATE_FILE) : undefined);
  return serve ? { ...row, serve } : row;
}

export function createTemplateContext(answers: Answers, generatorVersion = currentVersion, secrets: RenderSecrets = {}): TemplateContext {
  const [read = '', second] = answers.scopes;
  const manager = getPackageManager(answers.packageManager);
  const preset = getProvider(answers.provider);
  const features = planFeatures(answers);
  const inputs = answers.providerInputs ?? {};
  const brokerPreset = features.broker && preset.broker ? fillBrokerPreset(preset.broker, inputs) : undefined;
  const provider: ProviderPreset = brokerPreset ? { ...preset, broker: brokerPreset } : preset;
  const callbackUrl = new URL(BROKER_CALLBACK_PATH, DEFAULT_MCP_SERVER_URL).href;
  return {
    generatorVersion,
    answers: { ...answers, ...resolveChoices(answers), runtime: answers.runtime ?? 'node' },
    provider,
    broker: brokerPreset
      ? {
          callbackPath: BROKER_CALLBACK_PATH,
          callbackUrl,
          setup: brokerPreset.setup.map((step) => fillText(step.replaceAll('{callbackUrl}', callbackUrl), inputs)),
          env: brokerEnv(brokerPreset, answers.issuer, secrets.brokerSecret ?? ''),
        }
      : null,
    runtime: projectRuntime(answers.runtime ?? 'node', features.broker),
    features,
    tokenRules: tokenRulesFor(preset, inputs),
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
