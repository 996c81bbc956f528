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

export class AccessTokens {
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
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.did !== 'string') return undefined;
      return { userId: payload.sub, deviceId: payload.did };
    } catch {
      return undefined;
    }
  }
}
