/**
 * The HTTP application: one Fastify instance with zod schemas on every route, uniform errors,
 * and the route groups. Auth routes count their rate limits in PostgreSQL (shared by every
 * instance); the hot signed-in routes count per instance.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { accountRoutes } from './account/account-routes.js';
import { aiRoutes } from './ai/ai-routes.js';
import type { AppContext } from './app-context.js';
import type { AccessClaims } from './auth/access-tokens.js';
import { authRoutes } from './auth/auth-routes.js';
import { oidcRoutes } from './auth/oidc-routes.js';
import { blobRoutes } from './blobs/blob-routes.js';
import { installErrorHandler } from './http/errors.js';
import { limit, registerRateLimits } from './http/rate-limit.js';
import { keyRoutes } from './sync/key-routes.js';
import { syncRoutes } from './sync/sync-routes.js';

/** Requests per minute one user may make to the sync, blob and account routes, per instance. */
const USER_REQUESTS_PER_MINUTE = 600;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as `METHOD /path`, for the start-up log and the route-coverage tests. */
    routeList: readonly string[];
  }
}

export async function buildApp(
  context: Omit<AppContext, 'userLimit'>,
  options: { logger: Logger; trustProxy: boolean },
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    trustProxy: options.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('auth', null as unknown as AccessClaims);
  installErrorHandler(app);
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  app.decorate('routeList', routes);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  app.get('/health', async () => ({ ok: true }));
  app.get('/ready', async (_request, reply) => {
    await context.pool.query('SELECT 1');
    return reply.send({ ok: true });
  });

  // Account routes: limits shared through PostgreSQL.
  await app.register(async (scope) => {
    await registerRateLimits(scope, context.pool);
    const shared = { ...context, userLimit: userLimiter(scope) };
    authRoutes(scope, shared);
    oidcRoutes(scope, shared);
    aiRoutes(scope, shared);
  });
  // Signed-in routes: limits per instance.
  await app.register(async (scope) => {
    await registerRateLimits(scope, undefined);
    const local = { ...context, userLimit: userLimiter(scope) };
    accountRoutes(scope, local);
    syncRoutes(scope, local);
    keyRoutes(scope, local);
    blobRoutes(scope, local);
  });
  return app;
}

function userLimiter(scope: FastifyInstance) {
  return limit(scope, {
    name: 'user',
    max: USER_REQUESTS_PER_MINUTE,
    windowMs: 60_000,
    key: (request) => request.auth.userId,
  });
}
