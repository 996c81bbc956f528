/**
 * POST /v1/sync: a device pushes its new messages and pulls the others' in one exchange. The
 * whole request is refused, with nothing stored, when a timestamp is malformed or too far in
 * the future, or when a message is not sealed with the account's end-to-end key (a plain
 * message to an encrypting account, or a sealed one to an account without a key).
 */
import {
  MAX_REQUEST_CONTENT_CHARS,
  describeDuration,
  parseTimestamp,
  syncRequestSchema,
} from '@little-monster/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { ApiError } from '../http/errors.js';

/** Devices send at most half of this (MAX_REQUEST_CONTENT_CHARS of content). */
const SYNC_BODY_LIMIT = 2 * MAX_REQUEST_CONTENT_CHARS;

export function syncRoutes(app: FastifyInstance, context: AppContext): void {
  const { syncStore, config } = context;
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
            `This device's clock is ${describeDuration(ahead)} ahead of the server's. Set its date and time automatically, then sync again.`,
          );
      }
      const { wrongKey } = await syncStore.push(userId, deviceId, messages);
      if (wrongKey)
        throw new ApiError(
          409,
          'WRONG_KEY',
          "Some changes were not sealed with this account's end-to-end key, so none were stored. Unlock sync with your passphrase on this device (or set it up again), then sync.",
        );
      return syncStore.pull(userId, after, new Set(messages.map((message) => message.timestamp)), tree);
    },
  );
}
