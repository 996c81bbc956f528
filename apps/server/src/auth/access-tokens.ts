/**
 * Short-lived access tokens: JWTs signed with HS256 under the key every instance shares,
 * naming the user and the device. Verification accepts only that algorithm, issuer and
 * audience, so `alg: none`, a token for another audience or a token signed with any other
 * key is refused.
 */
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'little-monster-server';
const AUDIENCE = 'little-monster-api';

export interface AccessClaims {
  userId: string;
  deviceId: string;
}

/** Verified tokens remembered per instance (a device presents the same one for minutes). */
const REMEMBERED = 10_000;

export class AccessTokens {
  /** Token -> its claims and expiry (ms); insertion order is age, for eviction. */
  private readonly verified = new Map<string, AccessClaims & { expires: number }>();

  constructor(
    private readonly key: Uint8Array,
    readonly lifetimeSeconds: number,
  ) {}

  issue(claims: AccessClaims): Promise<string> {
    return new SignJWT({ did: claims.deviceId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.lifetimeSeconds}s`)
      .sign(this.key);
  }

  /** The claims of a valid token, or undefined for anything else. */
  async verify(token: string): Promise<AccessClaims | undefined> {
    // HMAC verification through WebCrypto was a sixth of a sync request's CPU: a token already
    // verified is only checked for expiry (whether its device is signed in is asked every time).
    const known = this.verified.get(token);
    if (known && known.expires > Date.now()) return { userId: known.userId, deviceId: known.deviceId };
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.did !== 'string') return undefined;
      const claims = { userId: payload.sub, deviceId: payload.did };
      if (this.verified.size >= REMEMBERED) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { ...claims, expires: payload.exp! * 1000 });
      return claims;
    } catch {
      return undefined;
    }
  }
}
