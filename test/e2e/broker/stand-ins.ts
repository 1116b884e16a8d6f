import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The upstream stand-ins, imported from the generated project's own copy (test/helpers/upstream-stand-ins.ts is
 * rendered into broker projects, with oidc-provider among its dev dependencies): the e2e runs the same provider a
 * project's own tests run, resolved against that project's node_modules. The types are the surface used here.
 */
export interface OidcStandIn {
  issuer: string;
  requests: Record<string, number>;
  close(): Promise<void>;
}
export interface GitHubStandIn {
  authorizationUrl: string;
  tokenUrl: string;
  userUrl: string;
  requests: Record<string, number>;
  close(): Promise<void>;
}
interface StandInOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}
export interface StandIns {
  startOidcStandIn(o: StandInOptions): Promise<OidcStandIn>;
  startGitHubStandIn(o: StandInOptions): Promise<GitHubStandIn>;
}

export async function standInsOf(project: string): Promise<StandIns> {
  return (await import(pathToFileURL(join(project, 'test/helpers/upstream-stand-ins.ts')).href)) as StandIns;
}
