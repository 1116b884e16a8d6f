/**
 * `create`'s flag table, and argv → raw answers + options (pure). The table is data: `--help` is printed from it
 * and the parser (cli/parse-args.ts) reads it, so a flag cannot exist in one and not the other. Values stay raw
 * strings here; the answer validators check them later, exactly as they check prompt input.
 */
import { CliError } from '../errors.js';
import { optionalDirectory, parseCommandLine, type CommandLine, type Flag, type FlagTable } from '../cli/parse-args.js';
import { providers } from '../providers/index.js';
import { frameworks } from '../stack/frameworks.js';
import { transports } from '../stack/transports.js';
import { runtimes } from '../stack/runtimes.js';
import { packageManagers } from '../install/package-managers.js';
import { answerDefaults } from './defaults.js';
import { providerInputFlags } from './provider-inputs.js';
import type { ProviderInput } from '../providers/provider-preset.js';

/** Answers as typed on the command line, before validation. */
export interface RawAnswers {
  provider?: string;
  framework?: string;
  transport?: string;
  runtime?: string;
  scopes?: string;
  issuer?: string;
  audience?: string;
  packageManager?: string;
  tokenFormat?: string;
  /** `--metadata-shim` (true) or `--no-metadata-shim` (false); absent when neither is given. */
  metadataShim?: boolean;
  /** `--broker` (true) or `--no-broker` (false); absent when neither is given. */
  broker?: boolean;
  /** `--metadata-url` / `--jwks-uri`: the escape hatch for providers without standard discovery ('' = none). */
  metadataUrl?: string;
  jwksUri?: string;
  /** Preset inputs by flag name (`auth0-domain`), unvalidated. */
  providerInputs?: Record<string, string>;
}

/** How the run behaves, as opposed to what it generates. */
export interface CreateOptions {
  /** Accept defaults and never prompt. */
  yes: boolean;
  /** Install dependencies after writing (`--no-install` turns it off). */
  install: boolean;
  /** `git init` + first commit (`--no-git` turns it off). */
  git: boolean;
  /** Allow a non-empty target directory; existing files are still never overwritten. */
  force: boolean;
  /** List the files that would be written and stop. */
  dryRun: boolean;
}

export type FlagSpec = Flag & (
  | { kind: 'answer'; key: Exclude<keyof RawAnswers, 'providerInputs' | 'metadataShim' | 'broker'>; value: string }
  | { kind: 'answer-switch'; key: 'metadataShim' | 'broker'; set: boolean }
  | { kind: 'input'; providerId: string; input: ProviderInput; value: string }
  | { kind: 'option'; key: keyof CreateOptions; set: boolean }
  | { kind: 'action'; key: 'help' | 'version' }
);

const localIssuers = providers.flatMap((p) => ('defaultIssuer' in p ? [`${p.defaultIssuer} for ${p.id}`] : []));
const opaqueByDefault = providers.filter((p) => p.token.format === 'opaque').map((p) => p.id);
const shimByDefault = providers.filter((p) => p.pkceFieldMissing === true).map((p) => p.id);
const brokerByDefault = providers.filter((p) => p.broker?.default === true).map((p) => p.id);

export const flagSpecs: readonly FlagSpec[] = [
  { name: 'provider', kind: 'answer', key: 'provider', value: '<id>', description: 'authorization server', default: answerDefaults.provider, choices: providers },
  { name: 'framework', kind: 'answer', key: 'framework', value: '<id>', description: 'HTTP framework', default: answerDefaults.framework, choices: frameworks },
  { name: 'transport', kind: 'answer', key: 'transport', value: '<id>', description: 'MCP Streamable HTTP mode', default: answerDefaults.transport, choices: transports },
  { name: 'runtime', kind: 'answer', key: 'runtime', value: '<id>', description: 'where the server runs (Express: node, bun; Hono: all; workers: stateless)', default: answerDefaults.runtime, choices: runtimes },
  { name: 'scopes', kind: 'answer', key: 'scopes', value: '<a,b>', description: 'OAuth scopes the tools require (first = read, second = write)', default: answerDefaults.scopes },
  { name: 'issuer', kind: 'answer', key: 'issuer', value: '<url>', description: 'authorization server issuer URL (required for oidc and oauth)', default: localIssuers.join(', ') },
  { name: 'audience', kind: 'answer', key: 'audience', value: '<string>', description: 'expected token audience', default: 'the MCP server URL' },
  { name: 'token-format', kind: 'answer', key: 'tokenFormat', value: '<jwt|opaque>', description: 'access tokens: jwt (checked with the JWKS) or opaque (RFC 7662 introspection)', default: `opaque for ${opaqueByDefault.join(', ')}, else jwt` },
  { name: 'metadata-shim', kind: 'answer-switch', key: 'metadataShim', set: true, description: 'serve the provider\'s metadata with PKCE S256 added, for clients that refuse it', default: `on for ${shimByDefault.join(', ')}` },
  { name: 'no-metadata-shim', kind: 'answer-switch', key: 'metadataShim', set: false, description: 'no metadata shim, even where the provider\'s metadata omits the PKCE field' },
  { name: 'broker', kind: 'answer-switch', key: 'broker', set: true, description: 'the server signs users in at the provider and issues its own tokens (MCP clients register with it)', default: `on for ${brokerByDefault.join(', ')}` },
  { name: 'no-broker', kind: 'answer-switch', key: 'broker', set: false, description: 'a resource server only: MCP clients get their tokens from the provider' },
  { name: 'metadata-url', kind: 'answer', key: 'metadataUrl', value: '<url>', description: 'the provider\'s metadata document, for providers without it at the standard location' },
  { name: 'jwks-uri', kind: 'answer', key: 'jwksUri', value: '<url>', description: 'the provider\'s JWKS, for providers with no metadata at all (the issuer comes from --issuer)' },
  { name: 'pm', kind: 'answer', key: 'packageManager', value: '<id>', description: 'package manager', default: 'the one running this command, else npm', choices: packageManagers },
  { name: 'yes', alias: 'y', kind: 'option', key: 'yes', set: true, description: 'accept defaults, never prompt' },
  { name: 'no-install', kind: 'option', key: 'install', set: false, description: 'do not install dependencies' },
  { name: 'no-git', kind: 'option', key: 'git', set: false, description: 'do not create a git repository' },
  { name: 'force', kind: 'option', key: 'force', set: true, description: 'allow a non-empty directory (never overwrites files)' },
  { name: 'dry-run', kind: 'option', key: 'dryRun', set: true, description: 'list the files that would be written, write nothing' },
  { name: 'help', alias: 'h', kind: 'action', key: 'help', description: 'show this help' },
  { name: 'version', alias: 'v', kind: 'action', key: 'version', description: 'show the version' },
  // One flag per preset input, read from the providers table (`--auth0-domain`, `--keycloak-realm`, …).
  ...providerInputFlags.map(({ providerId, input }): FlagSpec => ({
    name: input.flag,
    kind: 'input',
    providerId,
    input,
    value: `<${input.kind === 'choice' ? input.choices?.join('|') : input.kind}>`,
    description: `${input.label} (e.g. ${input.example})`,
    ...(input.default ? { default: input.default } : {}),
  })),
];

export const createFlagTable: FlagTable<FlagSpec> = {
  flags: flagSpecs,
  unknownFlag: (flag) => `unknown flag ${flag}`,
  help: '--help',
};

export interface ParsedArgs {
  /** The target directory, when given. */
  dir?: string;
  answers: RawAnswers;
  options: CreateOptions;
  action?: 'help' | 'version';
}

/** The answer and provider-input flags of a parsed command line (create's and update's). */
export function rawAnswersFrom(line: CommandLine): RawAnswers {
  const answers: RawAnswers = {};
  for (const spec of flagSpecs) {
    if (spec.kind === 'answer-switch' && line.switches.has(spec.name)) {
      // Both at once is a contradiction, not "the last one wins": the parser does not keep their order.
      if (answers[spec.key] !== undefined && answers[spec.key] !== spec.set) {
        throw new CliError('invalid_argument', `--${spec.set ? spec.name : spec.name.slice(3)} and --no-${spec.set ? spec.name : spec.name.slice(3)} contradict each other: give one`);
      }
      answers[spec.key] = spec.set;
    }
    const value = line.values[spec.name];
    if (value === undefined) continue;
    if (spec.kind === 'answer') answers[spec.key] = value;
    else if (spec.kind === 'input') (answers.providerInputs ??= {})[spec.name] = value;
  }
  return answers;
}

export function parseFlags(argv: readonly string[]): ParsedArgs {
  const line = parseCommandLine(createFlagTable, argv);
  const parsed: ParsedArgs = {
    answers: rawAnswersFrom(line),
    options: { yes: false, install: true, git: true, force: false, dryRun: false },
  };
  for (const spec of flagSpecs) {
    if (!line.switches.has(spec.name)) continue;
    if (spec.kind === 'option') parsed.options[spec.key] = spec.set;
    else if (spec.kind === 'action') parsed.action ??= spec.key;
  }
  return { ...optionalDirectory(line), ...parsed };
}
