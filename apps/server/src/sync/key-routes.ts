/**
 * The account's wrapped end-to-end key. The server stores it for new devices to fetch and
 * cannot open it. A passphrase change replaces it only if nobody changed it since the device
 * read it (its version), and never with another key id: that would leave the synced data
 * sealed under a key no device can get any more.
 */
import { syncKeySchema, putSyncKeyRequestSchema } from '@little-monster/sync';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { syncKeys } from '../db/schema.js';
import { ApiError } from '../http/errors.js';

export function keyRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/sync/key',
    {
      schema: { response: { 200: syncKeySchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => {
      const [row] = await db.select().from(syncKeys).where(eq(syncKeys.userId, request.auth.userId));
      if (!row) throw new ApiError(404, 'NO_SYNC_KEY', 'This account has no sync passphrase yet.');
      return syncKeySchema.parse({ envelope: row.envelope, version: row.version });
    },
  );

  api.put(
    '/v1/sync/key',
    {
      schema: { body: putSyncKeyRequestSchema, response: { 200: syncKeySchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => {
      const { userId } = request.auth;
      const { envelope, expectedVersion } = request.body;
      if (expectedVersion === undefined) {
        const [created] = await db
          .insert(syncKeys)
          .values({ userId, envelope, version: 1 })
          .onConflictDoNothing()
          .returning();
        if (!created)
          throw new ApiError(
            409,
            'SYNC_KEY_EXISTS',
            'This account already has a sync passphrase: unlock sync with it (or with the recovery key).',
          );
        return { envelope, version: created.version };
      }
      const [updated] = await db
        .update(syncKeys)
        .set({ envelope, version: sql`${syncKeys.version} + 1`, updatedAt: new Date() })
        .where(
          and(
            eq(syncKeys.userId, userId),
            eq(syncKeys.version, expectedVersion),
            sql`${syncKeys.envelope}->>'keyId' = ${envelope.keyId}`,
          ),
        )
        .returning();
      if (!updated)
        throw new ApiError(
          409,
          'SYNC_KEY_CHANGED',
          'The sync passphrase was changed on another device in the meantime, or this is another key. Unlock sync again and retry.',
        );
      return { envelope, version: updated.version };
    },
  );
}
