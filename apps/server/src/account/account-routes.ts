/**
 * The signed-in user's own account: who they are, their signed-in devices (and signing one
 * out), deleting everything, and a copy of everything the server holds about them.
 */
import { Readable } from 'node:stream';
import { accountSchema, deleteAccountRequestSchema, devicesSchema } from '@little-monster/sync';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { checkPassword } from '../auth/passwords.js';
import { aiUsage, blobs, devices, identities, syncKeys, users } from '../db/schema.js';
import { ApiError, notFound } from '../http/errors.js';

export function accountRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, sessions, blobStore, syncStore } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const guard = { onRequest: context.authenticate, preHandler: context.userLimit };

  const account = async (userId: string) => {
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    if (!user) throw notFound('This account');
    const linked = await db
      .select({ provider: identities.provider, email: identities.email })
      .from(identities)
      .where(eq(identities.userId, userId));
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      hasPassword: user.passwordHash !== null,
      identities: linked,
      createdAt: user.createdAt.toISOString(),
    };
  };
  const activeDevices = async (userId: string, current: string) =>
    (
      await db
        .select()
        .from(devices)
        .where(and(eq(devices.userId, userId), isNull(devices.revokedAt)))
        .orderBy(asc(devices.createdAt))
    ).map((device) => ({
      id: device.id,
      name: device.name,
      platform: device.platform as z.infer<typeof devicesSchema>['devices'][number]['platform'],
      createdAt: device.createdAt.toISOString(),
      lastSeenAt: device.lastSeenAt.toISOString(),
      current: device.id === current,
    }));

  api.get('/v1/account', { schema: { response: { 200: accountSchema } }, ...guard }, async (request) =>
    account(request.auth.userId),
  );

  api.get(
    '/v1/account/devices',
    { schema: { response: { 200: devicesSchema } }, ...guard },
    async (request) => ({
      devices: await activeDevices(request.auth.userId, request.auth.deviceId),
    }),
  );

  api.delete(
    '/v1/account/devices/:id',
    { schema: { params: z.object({ id: z.uuid() }) }, ...guard },
    async (request, reply) => {
      // Another user's device id is simply not found: ids are not revealed either way.
      if (!(await sessions.revokeDevice(request.auth.userId, request.params.id)))
        throw notFound('This device');
      return reply.status(204).send();
    },
  );

  api.delete(
    '/v1/account',
    { schema: { body: deleteAccountRequestSchema }, ...guard },
    async (request, reply) => {
      const { userId } = request.auth;
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      if (!user) throw notFound('This account');
      const confirmed =
        request.body.email === user.email &&
        (user.passwordHash === null || (await checkPassword(user.passwordHash, request.body.password ?? '')));
      if (!confirmed)
        throw new ApiError(
          403,
          'NOT_CONFIRMED',
          user.passwordHash
            ? 'To delete the account, type its email and password exactly.'
            : 'To delete the account, type its email exactly.',
        );
      // Files first: if that fails the account is still there and the deletion can be retried.
      await blobStore.deletePrefix(`users/${userId}`);
      await db.delete(users).where(eq(users.id, userId));
      request.log.info({ userId }, 'Account deleted');
      return reply.status(204).send();
    },
  );

  api.get('/v1/account/export', { ...guard }, async (request, reply) => {
    const { userId, deviceId } = request.auth;
    const header = {
      exportedAt: new Date().toISOString(),
      account: await account(userId),
      devices: await activeDevices(userId, deviceId),
      syncKey: (await db.select().from(syncKeys).where(eq(syncKeys.userId, userId)))[0]?.envelope ?? null,
      files: (await db.select().from(blobs).where(eq(blobs.userId, userId))).map((blob) => ({
        hash: blob.hash,
        size: blob.size,
        complete: blob.complete,
        createdAt: blob.createdAt.toISOString(),
      })),
      aiUsage: await db
        .select({ day: aiUsage.day, requests: aiUsage.requests, tokens: aiUsage.tokens })
        .from(aiUsage)
        .where(eq(aiUsage.userId, userId)),
      note: 'Synced changes are end-to-end encrypted when the account has a sync key: Little Monster opens them with your passphrase. Files are downloaded from /v1/blobs/<hash>.',
    };
    async function* document() {
      // Messages can be many: they are streamed a page at a time.
      yield `${JSON.stringify(header).slice(0, -1)},"messages":[`;
      let first = true;
      for await (const message of syncStore.all(userId)) {
        yield `${first ? '' : ','}${JSON.stringify(message)}`;
        first = false;
      }
      yield ']}';
    }
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="little-monster-account.json"')
      .send(Readable.from(document()));
  });
}
