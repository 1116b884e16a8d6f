/**
 * RFC 8414 authorization server metadata, served at `/.well-known/oauth-authorization-server` (the issuer has no
 * path). It tells MCP clients how to register (CIMD or RFC 7591), that PKCE must be S256, and that the authorization
 * response carries `iss` (RFC 9207, the mix-up defence).
 */
import { BROKER_PATHS } from './paths.js';

export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
  revocation_endpoint: string;
  jwks_uri: string;
  scopes_supported: string[];
  response_types_supported: ['code'];
  grant_types_supported: ['authorization_code', 'refresh_token'];
  code_challenge_methods_supported: ['S256'];
  token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'];
  revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'];
  client_id_metadata_document_supported: boolean;
  authorization_response_iss_parameter_supported: true;
}

export function authorizationServerMetadata(issuer: string, scopes: readonly string[], metadataDocuments = true): AuthorizationServerMetadata {
  const authMethods: AuthorizationServerMetadata['token_endpoint_auth_methods_supported'] = ['none', 'client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    authorization_endpoint: `${issuer}${BROKER_PATHS.authorize}`,
    token_endpoint: `${issuer}${BROKER_PATHS.token}`,
    registration_endpoint: `${issuer}${BROKER_PATHS.register}`,
    revocation_endpoint: `${issuer}${BROKER_PATHS.revoke}`,
    jwks_uri: `${issuer}${BROKER_PATHS.jwks}`,
    scopes_supported: [...scopes],
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    client_id_metadata_document_supported: metadataDocuments,
    authorization_response_iss_parameter_supported: true,
  };
}

/** The metadata changes only with a new configuration: clients may cache it briefly. */
export function metadataResponse(issuer: string, scopes: readonly string[], metadataDocuments = true): Response {
  return Response.json(authorizationServerMetadata(issuer, scopes, metadataDocuments), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
