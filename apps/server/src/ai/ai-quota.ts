/** Each user's cloud AI use per UTC day, against the server's daily allowance. */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { aiUsage } from '../db/schema.js';

export class AiQuota {
  constructor(
    private readonly db: Database,
    readonly dailyTokens: number,
  ) {}

  async used(userId: string, now = new Date()): Promise<number> {
    const [row] = await this.db
      .select({ tokens: aiUsage.tokens })
      .from(aiUsage)
      .where(and(eq(aiUsage.userId, userId), eq(aiUsage.day, day(now))));
    return row?.tokens ?? 0;
  }

  async record(userId: string, tokens: number, now = new Date()): Promise<void> {
    await this.db
      .insert(aiUsage)
      .values({ userId, day: day(now), requests: 1, tokens })
      .onConflictDoUpdate({
        target: [aiUsage.userId, aiUsage.day],
        set: { requests: sql`${aiUsage.requests} + 1`, tokens: sql`${aiUsage.tokens} + ${tokens}` },
      });
  }

  /** When today's allowance renews: the next midnight UTC. */
  resetsAt(now = new Date()): Date {
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  }
}

const day = (now: Date) => now.toISOString().slice(0, 10);
