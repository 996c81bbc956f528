/**
 * Cloud AI for signed-in students: the models the server offers, today's allowance, and
 * generation streamed back as one JSON event per line. Limited per user per minute (across
 * instances) and per day in tokens. When the student stops reading (closes the request), the
 * generation is stopped too.
 */
import { PassThrough } from 'node:stream';
import { AppError } from '@little-monster/core/cloud-llm';
import { aiGenerateRequestSchema, aiModelsSchema, aiQuotaSchema, type AiEvent } from '@little-monster/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { ApiError, notFound } from '../http/errors.js';
import { limit } from '../http/rate-limit.js';

export function aiRoutes(app: FastifyInstance, context: AppContext): void {
  const { aiModels, aiQuota, config } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const perUser = limit(app, {
    name: 'ai',
    max: config.aiRequestsPerMinute,
    windowMs: 60_000,
    key: (request) => request.auth.userId,
  });

  api.get(
    '/v1/ai/models',
    {
      schema: { response: { 200: aiModelsSchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async () => ({
      models: aiModels
        .list()
        .map(({ info }) => ({ id: info.id, label: info.label, contextTokens: info.contextTokens })),
    }),
  );

  api.get(
    '/v1/ai/quota',
    {
      schema: { response: { 200: aiQuotaSchema } },
      onRequest: context.authenticate,
      preHandler: context.userLimit,
    },
    async (request) => ({
      usedTokens: await aiQuota.used(request.auth.userId),
      limitTokens: aiQuota.dailyTokens,
      resetsAt: aiQuota.resetsAt().toISOString(),
    }),
  );

  api.post(
    '/v1/ai/generate',
    { schema: { body: aiGenerateRequestSchema }, onRequest: context.authenticate, preHandler: perUser },
    async (request, reply) => {
      const { userId } = request.auth;
      const { model, ...generate } = request.body;
      const engine = aiModels.get(model);
      if (!engine) throw notFound(`The cloud model "${model}"`);
      if ((await aiQuota.used(userId)) >= aiQuota.dailyTokens)
        throw new ApiError(
          429,
          'AI_QUOTA_EXCEEDED',
          `Today's cloud AI allowance (${aiQuota.dailyTokens.toLocaleString('en')} tokens) is used up; it renews at midnight UTC. Local models still work.`,
        );

      const events = new PassThrough();
      const send = (event: AiEvent) => events.write(`${JSON.stringify(event)}\n`);
      const stop = new AbortController();
      reply.raw.on('close', () => stop.abort());
      void engine
        .generate({ ...generate, onText: (text) => send({ type: 'text', text }), signal: stop.signal })
        .then(async (result) => {
          const tokens =
            (result.usage.promptTokens ?? 0) +
            (result.usage.outputTokens ?? Math.ceil(result.text.length / 4));
          await aiQuota.record(userId, tokens);
          send({ type: 'done', finish: result.finish, usage: result.usage });
        })
        .catch((error: unknown) => send(errorEvent(error, request.log)))
        .finally(() => events.end());
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(events);
    },
  );
}

/** What the student may see of a failure; problems with the server's own setup are only logged. */
function errorEvent(error: unknown, log: { error(obj: object, message: string): void }): AiEvent {
  if (error instanceof AppError && (error.code === 'ENGINE_UNAVAILABLE' || error.code === 'INVALID_INPUT'))
    return { type: 'error', code: error.code, message: error.message };
  log.error({ err: error }, 'Cloud AI request failed');
  return {
    type: 'error',
    code: 'CLOUD_AI_UNAVAILABLE',
    message: "The server's cloud AI is not available right now; try again later, or use a local model.",
  };
}
