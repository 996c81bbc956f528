/**
 * Content-addressed blobs per account: named by the SHA-256 of their bytes (ciphertext for an
 * encrypted account), uploaded in numbered parts so a broken upload resumes where it stopped,
 * assembled and checked against the name before they count as stored, and never uploaded again
 * once stored. Every route is scoped to the signed-in user: another account's blob of the same
 * name is a different object and cannot be read, written or probed.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  blobHashSchema,
  blobStatusSchema,
  blobUploadRequestSchema,
  type BlobStatus,
} from '@little-monster/sync';
import { z } from 'zod';
import { formatBytes } from '@little-monster/core/format-bytes';
import type { AppContext } from '../app-context.js';
import { blobParts, blobs } from '../db/schema.js';
import { ApiError, notFound } from '../http/errors.js';
import { BlobNotFoundError } from './blob-store.js';

const hashParams = z.object({ hash: blobHashSchema });
const blobKey = (userId: string, hash: string) => `users/${userId}/blobs/${hash}`;
const partKey = (userId: string, hash: string, part: number) => `users/${userId}/uploads/${hash}/${part}`;

export function blobRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, blobStore, config } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const partBytes = config.blobPartBytes;
  const partCount = (size: number) => Math.max(1, Math.ceil(size / partBytes));
  const partSize = (size: number, part: number) => Math.min(partBytes, size - part * partBytes);
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: partBytes },
    (_request, body, done) => done(null, body),
  );

  const status = async (userId: string, hash: string): Promise<BlobStatus | undefined> => {
    const [row] = await db
      .select()
      .from(blobs)
      .where(and(eq(blobs.userId, userId), eq(blobs.hash, hash)));
    if (!row) return undefined;
    const parts = row.complete
      ? []
      : await db
          .select({ part: blobParts.part })
          .from(blobParts)
          .where(and(eq(blobParts.userId, userId), eq(blobParts.hash, hash)));
    return {
      hash,
      size: row.size,
      complete: row.complete,
      partBytes,
      receivedParts: parts.map(({ part }) => part).sort((a, b) => a - b),
    };
  };
  const discardUpload = async (userId: string, hash: string, parts: number) => {
    await blobStore.delete(Array.from({ length: parts }, (_, part) => partKey(userId, hash, part)));
    await db.delete(blobParts).where(and(eq(blobParts.userId, userId), eq(blobParts.hash, hash)));
  };

  api.post(
    '/v1/blobs/:hash/upload',
    {
      schema: { params: hashParams, body: blobUploadRequestSchema, response: { 200: blobStatusSchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => {
      const { userId } = request.auth;
      const { hash } = request.params;
      const { size } = request.body;
      if (size > config.maxBlobBytes)
        throw new ApiError(
          413,
          'TOO_LARGE',
          `Files up to ${formatBytes(config.maxBlobBytes)} sync; this one is ${formatBytes(size)}.`,
        );
      const current = await status(userId, hash);
      if (current?.complete) return current;
      if (current && current.size !== size) await discardUpload(userId, hash, partCount(current.size));
      const [{ used } = { used: 0 }] = await db
        .select({ used: sql<number>`coalesce(sum(${blobs.size}), 0)::bigint`.mapWith(Number) })
        .from(blobs)
        .where(and(eq(blobs.userId, userId), ne(blobs.hash, hash)));
      if (used + size > config.storageQuotaBytes)
        throw new ApiError(
          507,
          'STORAGE_FULL',
          `This file does not fit in your ${formatBytes(config.storageQuotaBytes)} of synced files; remove some and try again.`,
        );
      await db
        .insert(blobs)
        .values({ userId, hash, size })
        .onConflictDoUpdate({ target: [blobs.userId, blobs.hash], set: { size } });
      return (await status(userId, hash))!;
    },
  );

  api.get(
    '/v1/blobs/:hash/upload',
    {
      schema: { params: hashParams, response: { 200: blobStatusSchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => {
      const current = await status(request.auth.userId, request.params.hash);
      if (!current) throw notFound('This file');
      return current;
    },
  );

  api.put(
    '/v1/blobs/:hash/parts/:part',
    {
      schema: { params: hashParams.extend({ part: z.coerce.number().int().min(0) }) },
      bodyLimit: partBytes,
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request, reply) => {
      const { userId } = request.auth;
      const { hash, part } = request.params;
      const body = request.body;
      if (!Buffer.isBuffer(body))
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the part as application/octet-stream.');
      const current = await status(userId, hash);
      if (!current) throw notFound('This upload');
      if (current.complete) return reply.status(204).send();
      if (part >= partCount(current.size))
        throw new ApiError(
          400,
          'INVALID_INPUT',
          `This file has ${partCount(current.size)} parts; there is no part ${part}.`,
        );
      const expected = partSize(current.size, part);
      if (body.length !== expected)
        throw new ApiError(
          400,
          'INVALID_INPUT',
          `Part ${part} must be ${expected} bytes; ${body.length} arrived.`,
        );
      await blobStore.put(partKey(userId, hash, part), body, body.length);
      await db.insert(blobParts).values({ userId, hash, part, size: body.length }).onConflictDoNothing();
      return reply.status(204).send();
    },
  );

  api.post(
    '/v1/blobs/:hash/complete',
    {
      schema: { params: hashParams, response: { 200: blobStatusSchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => {
      const { userId } = request.auth;
      const { hash } = request.params;
      const current = await status(userId, hash);
      if (!current) throw notFound('This upload');
      if (current.complete) return current;
      const parts = partCount(current.size);
      const missing = Array.from({ length: parts }, (_, part) => part).filter(
        (part) => !current.receivedParts.includes(part),
      );
      if (missing.length > 0)
        throw new ApiError(
          409,
          'INCOMPLETE',
          `Parts ${missing.slice(0, 10).join(', ')} have not arrived yet; upload them first.`,
        );

      const digest = createHash('sha256');
      async function* assembled() {
        for (let part = 0; part < parts; part++)
          for await (const chunk of await blobStore.get(partKey(userId, hash, part))) {
            digest.update(chunk as Buffer);
            yield chunk as Buffer;
          }
      }
      await blobStore.put(blobKey(userId, hash), Readable.from(assembled()), current.size);
      if (digest.digest('hex') !== hash) {
        await blobStore.delete([blobKey(userId, hash)]);
        await discardUpload(userId, hash, parts);
        await db.delete(blobs).where(and(eq(blobs.userId, userId), eq(blobs.hash, hash)));
        throw new ApiError(
          422,
          'HASH_MISMATCH',
          'The uploaded file does not match its SHA-256; it was discarded. Upload it again.',
        );
      }
      await db
        .update(blobs)
        .set({ complete: true })
        .where(and(eq(blobs.userId, userId), eq(blobs.hash, hash)));
      await discardUpload(userId, hash, parts);
      return (await status(userId, hash))!;
    },
  );

  api.get(
    '/v1/blobs/:hash',
    { schema: { params: hashParams }, onRequest: context.authenticate, preHandler: context.userLimit },
    async (request, reply) => {
      const { userId } = request.auth;
      const current = await status(userId, request.params.hash);
      if (!current?.complete) throw notFound('This file');
      try {
        const stream = await blobStore.get(blobKey(userId, current.hash));
        return reply.type('application/octet-stream').header('content-length', current.size).send(stream);
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw notFound('This file');
        throw error;
      }
    },
  );

  api.delete(
    '/v1/blobs/:hash',
    { schema: { params: hashParams }, onRequest: context.authenticate, preHandler: context.userLimit },
    async (request, reply) => {
      const { userId } = request.auth;
      const current = await status(userId, request.params.hash);
      if (!current) throw notFound('This file');
      await blobStore.delete([blobKey(userId, current.hash)]);
      await discardUpload(userId, current.hash, partCount(current.size));
      await db.delete(blobs).where(and(eq(blobs.userId, userId), eq(blobs.hash, current.hash)));
      return reply.status(204).send();
    },
  );
}
