/**
 * Signed-in devices and their tokens. Each sign-in makes a device; its refresh tokens form one
 * family and rotate on every use. A refresh token presented a second time means two parties
 * hold it (a stolen copy, or a restored backup): the whole device is signed out at once.
 */
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { DeviceInfo, Tokens } from '@little-monster/sync';
import type { Database } from '../db/database.js';
import { devices, refreshTokens } from '../db/schema.js';
import { ApiError, unauthenticated } from '../http/errors.js';
import type { AccessClaims, AccessTokens } from './access-tokens.js';
import { hashSecretToken, newSecretToken } from './secret-tokens.js';

/** Devices seen within this long are not written again on every request. */
const LAST_SEEN_GRANULARITY_MS = 5 * 60_000;

export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly accessTokens: AccessTokens,
    private readonly refreshDays: number,
  ) {}

  /** Signs a device in: a new device, its first refresh token and an access token. */
  async start(userId: string, device: DeviceInfo): Promise<Tokens> {
    const [created] = await this.db
      .insert(devices)
      .values({ userId, name: device.name, platform: device.platform })
      .returning({ id: devices.id });
    return this.issue(userId, created!.id);
  }

  /** Exchanges a refresh token for new tokens, once. */
  async refresh(refreshToken: string): Promise<Tokens> {
    const tokenHash = hashSecretToken(refreshToken);
    const [claimed] = await this.db
      .update(refreshTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.usedAt),
          gt(refreshTokens.expiresAt, new Date()),
        ),
      )
      .returning({ deviceId: refreshTokens.deviceId });
    if (!claimed) {
      const [known] = await this.db
        .select({ deviceId: refreshTokens.deviceId, usedAt: refreshTokens.usedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash));
      if (known?.usedAt) {
        await this.revoke(eq(devices.id, known.deviceId));
        throw new ApiError(
          401,
          'REFRESH_TOKEN_REUSED',
          'This sign-in was used from two places, so it was signed out to keep the account safe. Sign in again.',
        );
      }
      throw unauthenticated('This sign-in has expired. Sign in again.');
    }
    const [device] = await this.db
      .select({ userId: devices.userId })
      .from(devices)
      .where(and(eq(devices.id, claimed.deviceId), isNull(devices.revokedAt)));
    if (!device) throw unauthenticated('This device was signed out. Sign in again.');
    return this.issue(device.userId, claimed.deviceId);
  }

  /** Signs one device of this user out; false when the user has no such device. */
  async revokeDevice(userId: string, deviceId: string): Promise<boolean> {
    return (await this.revoke(and(eq(devices.id, deviceId), eq(devices.userId, userId))!)) > 0;
  }

  /** Signs every device of the user out (sign out everywhere, password reset). */
  async revokeAll(userId: string): Promise<void> {
    await this.revoke(eq(devices.userId, userId));
  }

  /** The claims' device is signed in and belongs to the claimed user. */
  async isActive(claims: AccessClaims): Promise<boolean> {
    const [device] = await this.db
      .select({ userId: devices.userId, revokedAt: devices.revokedAt, lastSeenAt: devices.lastSeenAt })
      .from(devices)
      .where(eq(devices.id, claims.deviceId));
    if (!device || device.revokedAt || device.userId !== claims.userId) return false;
    if (Date.now() - device.lastSeenAt.getTime() > LAST_SEEN_GRANULARITY_MS)
      await this.db.update(devices).set({ lastSeenAt: new Date() }).where(eq(devices.id, claims.deviceId));
    return true;
  }

  private async issue(userId: string, deviceId: string): Promise<Tokens> {
    const refresh = newSecretToken();
    await this.db.insert(refreshTokens).values({
      tokenHash: refresh.hash,
      deviceId,
      expiresAt: new Date(Date.now() + this.refreshDays * 86_400_000),
    });
    // Used tokens are kept until they would have expired, to recognise their reuse.
    await this.db
      .delete(refreshTokens)
      .where(and(eq(refreshTokens.deviceId, deviceId), lt(refreshTokens.expiresAt, new Date())));
    return {
      accessToken: await this.accessTokens.issue({ userId, deviceId }),
      refreshToken: refresh.token,
      expiresIn: this.accessTokens.lifetimeSeconds,
      deviceId,
    };
  }

  private async revoke(which: ReturnType<typeof eq>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const revoked = await tx
        .update(devices)
        .set({ revokedAt: new Date() })
        .where(and(which, isNull(devices.revokedAt)))
        .returning({ id: devices.id });
      for (const { id } of revoked) await tx.delete(refreshTokens).where(eq(refreshTokens.deviceId, id));
      return revoked.length;
    });
  }
}
