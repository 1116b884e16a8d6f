/**
 * Defaults for every answer that has one, kept free of zod so `--help` can show them without loading the schema.
 * The issuer default comes from the provider row (`defaultIssuer`); the package manager is detected.
 */
export const answerDefaults = {
  projectName: 'mcp-auth-server',
  provider: 'local',
  framework: 'express',
  transport: 'stateless',
  runtime: 'node',
  scopes: 'read,write',
} as const;
