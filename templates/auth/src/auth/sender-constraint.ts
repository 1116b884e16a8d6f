import { hash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from './errors.js';
import type { Confirmation } from './token-claims.js';

// Read from the claims in token-claims.ts, which stays free of jose (the generator's doctor bundles it); still exported here.
export type { Confirmation } from './token-claims.js';

/**
 * Sender-constrained access tokens: a token whose `cnf` claim (RFC 7800) binds it to a key only works together with
 * proof of that key. This server checks DPoP proofs (RFC 9449 `cnf.jkt`) itself. It terminates no TLS, so it cannot
 * see a client certificate and refuses certificate-bound tokens (RFC 8705 `cnf["x5t#S256"]`) and every other binding
 * it cannot check: a stolen bound token must never work as a plain bearer token (RFC 9449 §7.2).
 */

/** Signature algorithms accepted in DPoP proofs: asymmetric only, advertised in the protected resource metadata. */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'] as const;

export interface DpopOptions {
  /** The URL every proof's `htu` must name: the MCP endpoint, as clients are told it (the RFC 9728 `resource`). */
  resource: URL;
  /** Seconds a proof is accepted after its `iat`, and how far its `iat` may lie in the future (clock skew). Default 60. */
  proofLifetimeSeconds?: number;
  /** Most proof ids remembered for replay detection (default 100 000). Beyond it new proofs get a 503, never a replay. */
  maxRememberedProofs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** The request a sender constraint is checked against: how the token came, and what proved possession. */
export interface PresentedToken {
  scheme: 'bearer' | 'dpop';
  token: string;
  /** Every `DPoP` header value the request carried. */
  proofs: readonly string[];
  /** The request's HTTP method, compared with the proof's `htm`. */
  method: string;
}

export interface SenderConstraintChecker {
  /** Throws an `AuthError` unless the token's binding (if any) is proven by this request. */
  check(presented: PresentedToken, confirmation: Confirmation | undefined): Promise<void>;
}

/**
 * One checker per server: it owns the replay cache of proof ids, bounded in size and time (an id is kept only as
 * long as its proof could be accepted).
 */
export function createSenderConstraintChecker(options: DpopOptions): SenderConstraintChecker {
  const lifetime = options.proofLifetimeSeconds ?? 60;
  const maxRemembered = options.maxRememberedProofs ?? 100_000;
  const now = options.now ?? (() => Date.now());
  const expectedHtu = withoutQuery(options.resource);
  /** Proof id → epoch ms after which its proof is too old anyway. Insertion order is roughly expiry order. */
  const seen = new Map<string, number>();

  let lastSweep = 0;

  function remember(id: string, until: number): void {
    const at = now();
    // Expired ids are swept only when the cache is full, and at most once a second, so a full cache costs no CPU storm.
    if (seen.size >= maxRemembered && at - lastSweep >= 1000) {
      lastSweep = at;
      for (const [key, expiry] of seen) if (expiry <= at) seen.delete(key);
    }
    // Full of proofs that are still live: refusing is safe, forgetting one would let it be replayed.
    if (seen.size >= maxRemembered) throw new AuthError('temporarily_unavailable', 'too many DPoP proofs at once; try again shortly');
    seen.set(id, until);
  }

  async function verifyProof(presented: PresentedToken, jkt: string): Promise<void> {
    if (presented.proofs.length !== 1) throw new AuthError('invalid_dpop_proof', 'send exactly one DPoP header with the request');
    let payload: JWTPayload;
    let thumbprint: string;
    try {
      const verified = await jwtVerify(presented.proofs[0]!, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [...DPOP_ALGORITHMS] });
      payload = verified.payload;
      thumbprint = await calculateJwkThumbprint(verified.protectedHeader.jwk!, 'sha256');
    } catch (error) {
      throw new AuthError('invalid_dpop_proof', describeProofError(error), { cause: error });
    }
    const { jti, htm, htu, iat, ath } = payload as Record<string, unknown>;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new AuthError('invalid_dpop_proof', 'the DPoP proof has no valid "jti"');
    if (htm !== presented.method) throw new AuthError('invalid_dpop_proof', `the DPoP proof's "htm" is not ${presented.method}`);
    if (typeof htu !== 'string' || !URL.canParse(htu) || withoutQuery(new URL(htu)) !== expectedHtu) {
      throw new AuthError('invalid_dpop_proof', `the DPoP proof's "htu" is not ${expectedHtu}`);
    }
    const seconds = now() / 1000;
    if (typeof iat !== 'number' || !Number.isFinite(iat) || iat < seconds - lifetime || iat > seconds + lifetime) {
      throw new AuthError('invalid_dpop_proof', 'the DPoP proof is too old or dated in the future ("iat")');
    }
    if (ath !== hash('sha256', presented.token, 'base64url')) throw new AuthError('invalid_dpop_proof', 'the DPoP proof is for another access token ("ath")');
    if (thumbprint !== jkt) throw new AuthError('invalid_token', 'the access token is bound to another key than the one that signed the DPoP proof');
    // Checked last, so only a proof that is valid in every other way occupies the cache.
    const id = `${thumbprint}.${jti}`;
    if (seen.has(id)) throw new AuthError('invalid_dpop_proof', 'this DPoP proof was already used ("jti" replayed)');
    remember(id, (iat + lifetime) * 1000);
  }

  return {
    async check(presented, confirmation) {
      if (confirmation && confirmation.unverifiable.length > 0) {
        const mtls = confirmation.unverifiable.includes('x5t#S256');
        throw new AuthError('invalid_token', mtls
          ? 'the access token is bound to a TLS client certificate (RFC 8705), which this server cannot check: it does not terminate TLS'
          : `the access token is bound by ${confirmation.unverifiable.map((name) => `"cnf.${name}"`).join(', ')}, which this server cannot check`);
      }
      const jkt = confirmation?.jkt;
      if (presented.scheme === 'bearer') {
        // RFC 9449 §7.2: a DPoP-bound token sent as a bearer token is refused, or a thief needs no key.
        if (jkt) throw new AuthError('invalid_token', 'the access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof, not as a bearer token');
        return;
      }
      if (!jkt) throw new AuthError('invalid_token', 'the access token is not DPoP-bound: send it with the Bearer scheme');
      await verifyProof(presented, jkt);
    },
  };
}

/** RFC 9449 §4.3: `htu` is compared without query and fragment, after URL normalization. */
function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function describeProofError(error: unknown): string {
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the DPoP proof is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'typ') return 'the DPoP proof\'s typ header is not "dpop+jwt"';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the DPoP proof\'s signature is invalid';
  if (error instanceof errors.JWSInvalid && /jwk/i.test(error.message)) return 'the DPoP proof must carry its public key in the "jwk" header';
  return 'the DPoP proof is malformed';
}
