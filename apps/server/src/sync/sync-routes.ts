/**
 * POST /v1/sync: a device pushes its new messages and pulls the others' in one exchange. The
 * whole request is refused, with nothing stored, when a timestamp is malformed or too far in
 * the future, or when an encrypting account receives a message not sealed with its key.
 */
import { parseTimestamp, syncRequestSchema } from '@little-monster/sync';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { syncKeys } from '../db/schema.js';
import { ApiError } from '../http/errors.js';

/** A full request of large messages stays well inside this. */
const SYNC_BODY_LIMIT = 32 * 1024 * 1024;

export function syncRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, syncStore, config } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/sync',
    {
      schema: { body: syncRequestSchema },
      bodyLimit: SYNC_BODY_LIMIT,
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => {
      const { userId, deviceId } = request.auth;
      const { messages, after, tree } = request.body;
      const now = Date.now();
      for (const { timestamp } of messages) {
        const ahead = parseTimestamp(timestamp).millis - now;
        if (ahead > config.maxClockDriftMs)
          throw new ApiError(
            422,
            'CLOCK_SKEW',
            `This device's clock is ${describeAhead(ahead)} ahead of the server's. Set its date and time automatically, then sync again.`,
          );
      }
      if (messages.length > 0) {
        const [key] = await db
          .select({ envelope: syncKeys.envelope })
          .from(syncKeys)
          .where(eq(syncKeys.userId, userId));
        const keyId = (key?.envelope as { keyId?: string } | undefined)?.keyId ?? null;
        if (messages.some((message) => message.keyId !== keyId))
          throw new ApiError(
            409,
            keyId ? 'ENCRYPTION_REQUIRED' : 'UNKNOWN_KEY',
            keyId
              ? 'This account encrypts its synced data, but some changes were not sealed with its key. Unlock sync with your passphrase on this device.'
              : 'Changes were sealed with a key this account does not have. Set up the sync passphrase again on this device.',
          );
      }
      await syncStore.push(userId, deviceId, messages);
      return syncStore.pull(userId, after, new Set(messages.map((message) => message.timestamp)), tree);
    },
  );
}

function describeAhead(ms: number): string {
  if (ms >= 2 * 3_600_000) return `${Math.round(ms / 3_600_000)} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}
