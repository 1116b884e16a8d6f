/**
 * argv → raw answers + options (pure). The flag table is data: `--help` is printed from it and the parser reads
 * it, so a flag cannot exist in one and not the other. Values stay raw strings here; the answer validators check
 * them later, exactly as they check prompt input.
 */
import { CliError } from '../errors.js';
import { frameworks } from '../stack/frameworks.js';
import { providers } from '../providers/index.js';
import { transports } from '../stack/transports.js';
import { packageManagers } from '../install/package-managers.js';
import { answerDefaults } from './defaults.js';
import { closestMatch } from './closest-match.js';
import { providerInputFlags } from './provider-inputs.js';
import type { ProviderInput } from '../providers/provider-preset.js';

/** Answers as typed on the command line, before validation. */
export interface RawAnswers {
  provider?: string;
  framework?: string;
  transport?: string;
  scopes?: string;
  issuer?: string;
  audience?: string;
  packageManager?: string;
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

interface Choice {
  id: string;
  hint: string;
}

export type FlagSpec = {
  name: string;
  alias?: string;
  description: string;
  /** Shown in --help; absent when there is no default. */
  default?: string;
  choices?: readonly Choice[];
} & (
  | { kind: 'answer'; key: Exclude<keyof RawAnswers, 'providerInputs'>; value: string }
  | { kind: 'input'; providerId: string; input: ProviderInput; value: string }
  | { kind: 'option'; key: keyof CreateOptions; set: boolean }
  | { kind: 'action'; key: 'help' | 'version' }
);

const localIssuers = providers.flatMap((p) => ('defaultIssuer' in p ? [`${p.defaultIssuer} for ${p.id}`] : []));

export const flagSpecs: readonly FlagSpec[] = [
  { name: 'provider', kind: 'answer', key: 'provider', value: '<id>', description: 'authorization server', default: answerDefaults.provider, choices: providers },
  { name: 'framework', kind: 'answer', key: 'framework', value: '<id>', description: 'HTTP framework', default: answerDefaults.framework, choices: frameworks },
  { name: 'transport', kind: 'answer', key: 'transport', value: '<id>', description: 'MCP Streamable HTTP mode', default: answerDefaults.transport, choices: transports },
  { name: 'scopes', kind: 'answer', key: 'scopes', value: '<a,b>', description: 'OAuth scopes the tools require (first = read, second = write)', default: answerDefaults.scopes },
  { name: 'issuer', kind: 'answer', key: 'issuer', value: '<url>', description: 'authorization server issuer URL (required for oidc and oauth)', default: localIssuers.join(', ') },
  { name: 'audience', kind: 'answer', key: 'audience', value: '<string>', description: 'expected token audience', default: 'the MCP server URL' },
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

export interface ParsedArgs {
  /** The target directory, when given. */
  dir?: string;
  answers: RawAnswers;
  options: CreateOptions;
  action?: 'help' | 'version';
}

function unknownFlag(flag: string): CliError {
  const suggestion = closestMatch(flag.replace(/^-+/, ''), flagSpecs.map((f) => f.name));
  const hint = suggestion ? `; did you mean --${suggestion}?` : '; see --help';
  return new CliError('invalid_argument', `unknown flag ${flag}${hint}`);
}

export function parseFlags(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = {
    answers: {},
    options: { yes: false, install: true, git: true, force: false, dryRun: false },
  };
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const spec = flag.startsWith('--')
      ? flagSpecs.find((f) => `--${f.name}` === flag)
      : flagSpecs.find((f) => f.alias !== undefined && `-${f.alias}` === flag);
    if (!spec) throw unknownFlag(flag);
    if (spec.kind === 'option' || spec.kind === 'action') {
      if (inline !== undefined) throw new CliError('invalid_argument', `${flag} does not take a value`);
      if (spec.kind === 'option') parsed.options[spec.key] = spec.set;
      else parsed.action ??= spec.key;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) {
        throw new CliError('invalid_argument', `${flag} needs a value: ${flag} ${spec.value} (or ${flag}=${spec.value})`);
      }
      value = next;
      i++;
    }
    if (spec.kind === 'input') (parsed.answers.providerInputs ??= {})[spec.name] = value;
    else parsed.answers[spec.key] = value;
  }
  if (positionals.length > 1) {
    throw new CliError('invalid_argument', `unexpected argument ${JSON.stringify(positionals[1])}: give at most one directory`);
  }
  if (positionals[0] !== undefined) parsed.dir = positionals[0];
  return parsed;
}
