/** Single-use tokens sent by email: confirming the address, resetting the password. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { emailTokens } from '../db/schema.js';
import { hashSecretToken, newSecretToken } from './secret-tokens.js';

export type EmailTokenPurpose = 'verify-email' | 'reset-password';

const LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  'verify-email': 24 * 3_600_000,
  'reset-password': 3_600_000,
};

export class EmailTokens {
  constructor(private readonly db: Database) {}

  async create(userId: string, purpose: EmailTokenPurpose): Promise<string> {
    const { token, hash } = newSecretToken();
    await this.db
      .insert(emailTokens)
      .values({ tokenHash: hash, userId, purpose, expiresAt: new Date(Date.now() + LIFETIME_MS[purpose]) });
    return token;
  }

  /** The user the token was made for, once; undefined for an unknown, used or expired token. */
  async consume(token: string, purpose: EmailTokenPurpose): Promise<string | undefined> {
    const [row] = await this.db
      .update(emailTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(emailTokens.tokenHash, hashSecretToken(token)),
          eq(emailTokens.purpose, purpose),
          isNull(emailTokens.usedAt),
          gt(emailTokens.expiresAt, new Date()),
        ),
      )
      .returning({ userId: emailTokens.userId });
    return row?.userId;
  }
}
