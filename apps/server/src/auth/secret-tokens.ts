/**
 * Opaque single-use secrets (refresh tokens, email links, sign-in codes): 256 random bits sent
 * to the user, only their SHA-256 stored, so a copy of the database gives nothing usable.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecretToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

export function hashSecretToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
