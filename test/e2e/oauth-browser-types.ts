/** The shape of `connectWithOAuth` in generated projects' `test/helpers/oauth-browser.ts`, for the e2e test's import. */
export interface ConnectedClient {
  client: {
    callTool(request: { name: string; arguments: Record<string, unknown> }): Promise<{ content: unknown }>;
    listTools(): Promise<{ tools: { name: string }[] }>;
  };
  close(): Promise<void>;
}
export declare function connectWithOAuth(mcpUrl: string, options?: { userId?: string }): Promise<ConnectedClient>;
