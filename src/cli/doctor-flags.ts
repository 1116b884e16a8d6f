/** `doctor`'s flag table, argv → its arguments (pure), and its `--help`. */
import { flagSpecs } from '../answers/flags.js';
import type { DoctorArgs } from '../doctor/run.js';
import { formatFlags } from './format-help.js';
import { optionalDirectory, parseCommandLine, valuesOf, type Flag, type FlagTable, type ParsedCommand } from './parse-args.js';

/** `--provider` takes create's choices; only its meaning here differs. */
const providerChoices = flagSpecs.find((spec) => spec.name === 'provider')?.choices ?? [];

const doctorFlags: readonly Flag[] = [
  { name: 'issuer', value: '<url>', description: 'the issuer to check, exactly as the provider writes it', default: "the project's AUTH_ISSUER" },
  { name: 'provider', value: '<id>', description: 'the preset whose rules apply', default: "the project's, else oidc", choices: providerChoices },
  { name: 'audience', value: '<aud>', description: 'the audience tokens must carry (comma-separated)', default: "the project's AUTH_AUDIENCE" },
  { name: 'token-format', value: '<jwt|opaque>', description: 'how the server checks tokens: jwt (JWKS) or opaque (introspection)', default: "the project's AUTH_TOKEN_FORMAT, else its answers file" },
  { name: 'mcp-url', value: '<url>', description: 'the MCP server URL, always an accepted audience', default: 'MCP_SERVER_URL, else http://localhost:$PORT/mcp' },
  { name: 'url', value: '<url>', description: 'a running broker server: check its authorization server and resource metadata' },
  { name: 'token', value: '<jwt>', description: 'also check this access token (a "Bearer " prefix is fine)' },
  { name: 'help', alias: 'h', description: 'show this help' },
];

export const doctorFlagTable: FlagTable = {
  flags: doctorFlags,
  unknownFlag: (flag) => `unknown doctor flag ${flag}`,
  help: 'doctor --help',
};

/** argv after `doctor` → its arguments. */
export function parseDoctorArgs(argv: readonly string[]): ParsedCommand<DoctorArgs> {
  const line = parseCommandLine(doctorFlagTable, argv);
  if (line.switches.has('help')) return { action: 'help' };
  const values = valuesOf(line, { issuer: 'issuer', provider: 'provider', audience: 'audience', 'token-format': 'tokenFormat', 'mcp-url': 'mcpUrl', url: 'url', token: 'token' });
  return { action: 'run', args: { ...optionalDirectory(line), ...values } };
}

export function formatDoctorHelp(): string {
  return [
    'Check a live provider against a project made by create-mcp-auth-server (or against any issuer), line by line:',
    'the issuer string, PKCE S256, dynamic registration or Client ID Metadata Documents, the JWKS and its algorithms,',
    'introspection for opaque tokens, and the preset\'s audience notes. With --token, also a sample access token:',
    'signature, typ, iss, aud, expiry, the provider\'s required claims and the scopes the tools need.',
    'A broker project (--broker): its app at the provider instead: discovery or the endpoints, the client credentials',
    '(a deliberately invalid code sent to the token endpoint), AUTH_BROKER_SECRET, the callback URL to register, and with',
    '--url the running server\'s metadata.',
    '',
    'Usage:',
    '  npx create-mcp-auth-server doctor [dir] [flags]     in a generated project (default dir: the current one)',
    '  npx create-mcp-auth-server doctor --issuer <url>    anywhere',
    '',
    'In a project, values come from the flags, then the environment, then its .env, then .mcp-auth-server.json.',
    '',
    'Flags:',
    ...formatFlags(doctorFlags),
    '',
    'Exit codes: 0 ready (MCP clients can use this provider with this server), 1 not ready or an error.',
    '',
    'Examples:',
    '  npx create-mcp-auth-server doctor --token "$ACCESS_TOKEN"',
    '  npx create-mcp-auth-server doctor --issuer https://dev-abc123.us.auth0.com/ --provider auth0',
    '',
  ].join('\n');
}
