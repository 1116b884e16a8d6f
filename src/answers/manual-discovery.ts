/**
 * The escape hatch for providers without standard discovery: `--metadata-url <url>` (the provider's metadata document
 * at a non-standard location) or `--jwks-uri <url>` (no metadata: the JWKS by hand, the issuer from --issuer). At most
 * one is recorded in the answers file; neither (the usual case) records nothing. `update --metadata-url ''` (or
 * `--jwks-uri ''`) goes back to discovery; giving one replaces the other. Pure.
 */
import { CliError, quoteValue } from '../errors.js';
import type { Answers } from './answers.js';
import type { RawAnswers } from './flags.js';
import { checkUserText } from './user-text.js';

export type ManualDiscoveryAnswers = Pick<Answers, 'metadataUrl' | 'jwksUri'>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL (http only on loopback), no query, fragment or credentials; `flag` names it in the error. */
export function validateDiscoveryUrl(flag: '--metadata-url' | '--jwks-uri', raw: string): string {
  checkUserText(flag, raw);
  const invalid = (why: string) => new CliError('invalid_answer', `${flag} ${why} (got ${quoteValue(raw)})`);
  if (/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/u.test(raw)) throw invalid('must be a URL written with URI characters only');
  if (!URL.canParse(raw)) throw invalid('must be an absolute URL such as https://id.example.com/keys');
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw invalid('must use https; http is only allowed for localhost, 127.0.0.1 and [::1]');
  }
  if (url.search || raw.includes('?') || url.hash || raw.includes('#')) throw invalid('must not have a query or fragment');
  if (url.username || url.password) throw invalid('must not contain a user name or password');
  return raw;
}

/** Both at once is a contradiction: one says "there is metadata", the other "there is none". */
export function refuseBothDiscoveryUrls(raw: { metadataUrl?: string | undefined; jwksUri?: string | undefined }): void {
  if (raw.metadataUrl && raw.jwksUri) {
    throw new CliError('invalid_argument', '--metadata-url and --jwks-uri contradict each other: give one (--metadata-url when the provider has a metadata document, --jwks-uri when it has none)');
  }
}

/** The answers' fields from raw values: '' (update's way back to discovery) and absent record nothing. */
export function collectManualDiscovery(raw: RawAnswers): ManualDiscoveryAnswers {
  refuseBothDiscoveryUrls(raw);
  if (raw.metadataUrl) return { metadataUrl: validateDiscoveryUrl('--metadata-url', raw.metadataUrl) };
  if (raw.jwksUri) return { jwksUri: validateDiscoveryUrl('--jwks-uri', raw.jwksUri) };
  return {};
}

/**
 * For `update`: the recorded URL as a raw value unless a flag typed now sets either one (a new one replaces the
 * recorded one, '' removes it), or the provider changes (the URL belonged to the old one).
 */
export function recordedManualDiscovery(recorded: ManualDiscoveryAnswers, changes: RawAnswers, sameProvider: boolean): Pick<RawAnswers, 'metadataUrl' | 'jwksUri'> {
  if (!sameProvider || changes.metadataUrl !== undefined || changes.jwksUri !== undefined) return {};
  return {
    ...(recorded.metadataUrl !== undefined ? { metadataUrl: recorded.metadataUrl } : {}),
    ...(recorded.jwksUri !== undefined ? { jwksUri: recorded.jwksUri } : {}),
  };
}
