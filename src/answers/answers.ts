/**
 * The answers: the single list of options a project is generated from. The zod schema is the shape of
 * `.mcp-auth-server.json` and re-runs the same validators flags and prompts use, so a hand-edited file is caught.
 */
import { z } from 'zod';
import { checkedBy } from './checked-by.js';
import { frameworks } from '../stack/frameworks.js';
import { providers } from '../providers/index.js';
import { transports } from '../stack/transports.js';
import { runtimes, type RuntimeId } from '../stack/runtimes.js';
import { packageManagers } from '../install/package-managers.js';
import { toolSchema } from './tool.js';
import { validateProviderInputs } from './provider-inputs.js';
import { refuseBothDiscoveryUrls, validateDiscoveryUrl } from './manual-discovery.js';
import { tokenFormats, validateBrokerFor, validateRuntimeFor, validateTokenFormatFor, type TokenFormat } from './project-choices.js';
import {
  validateAudience,
  validateIssuer,
  validateProjectName,
  validateScopeList,
} from './validate.js';

export { answerDefaults } from './defaults.js';

/** The ids of a table as the non-empty tuple `z.enum` wants. */
function ids<Row extends { id: string }>(rows: readonly Row[]): [Row['id'], ...Row['id'][]] {
  return rows.map((r) => r.id) as [Row['id'], ...Row['id'][]];
}

export const answersSchema = z.strictObject({
  projectName: z.string().superRefine(checkedBy(validateProjectName)),
  provider: z.enum(ids(providers)),
  framework: z.enum(ids(frameworks)),
  transport: z.enum(ids(transports)),
  /** Where the server runs; absent (files from before it was an answer): node. */
  runtime: z.enum(ids(runtimes)).optional(),
  scopes: z.array(z.string()).superRefine(checkedBy(validateScopeList)),
  issuer: z.string().superRefine(checkedBy(validateIssuer)),
  audience: z
    .string()
    .min(1)
    .superRefine(checkedBy(validateAudience))
    .optional(),
  /** Access token format; absent (files from before it was an answer): the preset's `token.format`. */
  tokenFormat: z.enum(ids(tokenFormats)).optional(),
  /** Serve the metadata shim; absent (files from before it was an answer): the preset's `pkceFieldMissing`. */
  metadataShim: z.boolean().optional(),
  /** Broker mode (the server signs users in at the provider); absent (files from before it was an answer): false. */
  broker: z.boolean().optional(),
  packageManager: z.enum(ids(packageManagers)),
  /** Tools added with `add tool`, in the order they were added; absent until the first one. */
  tools: z.array(toolSchema).optional(),
  /** The preset's own inputs (`domain`, `realm`, …) by input id; absent for presets without inputs. */
  providerInputs: z.record(z.string(), z.string()).optional(),
  /** `--metadata-url`: the provider's metadata document at a non-standard location; absent: discovery. */
  metadataUrl: z.string().superRefine(checkedBy((raw: string) => validateDiscoveryUrl('--metadata-url', raw))).optional(),
  /** `--jwks-uri`: no metadata, the JWKS by hand (the issuer is `issuer`); absent: discovery. Never with metadataUrl. */
  jwksUri: z.string().superRefine(checkedBy((raw: string) => validateDiscoveryUrl('--jwks-uri', raw))).optional(),
}).superRefine((answers, ctx) => {
  if (answers.runtime !== undefined) {
    checkedBy((runtime: RuntimeId) => validateRuntimeFor(runtime, { framework: answers.framework, transport: answers.transport, broker: answers.broker }))(answers.runtime, ctx);
  }
  if (answers.broker !== undefined) checkedBy((broker: boolean) => validateBrokerFor(answers.provider, broker))(answers.broker, ctx);
  checkedBy(refuseBothDiscoveryUrls)(answers, ctx);
  if (answers.tokenFormat !== undefined) {
    checkedBy((format: TokenFormat) => validateTokenFormatFor(answers.provider, format))(answers.tokenFormat, ctx);
  }
  if (answers.providerInputs === undefined) return;
  checkedBy((inputs: Record<string, string>) => validateProviderInputs(answers.provider, inputs, answers.broker === true))(answers.providerInputs, ctx);
});

export type Answers = z.infer<typeof answersSchema>;
