/**
 * Rate limits through @fastify/rate-limit. Sign-in and the other account routes count in
 * PostgreSQL, so every instance behind a load balancer shares one counter per key and a
 * guesser gains nothing by spreading attempts. Sync and blob routes, which only signed-in users
 * reach and which are hot, count per instance in memory.
 */
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type pg from 'pg';
import { ApiError } from './errors.js';

export interface Limit {
  /** Counter name: keys are `<name>:<key>`. */
  name: string;
  max: number;
  windowMs: number;
  /** What is counted: the client address by default. */
  key?: (request: FastifyRequest) => string;
}

export async function registerRateLimits(scope: FastifyInstance, pool: pg.Pool | undefined): Promise<void> {
  await scope.register(rateLimit, { global: false, ...(pool ? { store: postgresStore(pool) } : {}) });
}

/**
 * A preHandler that enforces one limit. (Several may guard one route: the plugin's own route
 * hook runs only the first limit of a request.)
 */
export function limit(
  scope: FastifyInstance,
  { name, max, windowMs, key }: Limit,
): preHandlerAsyncHookHandler {
  const check = scope.createRateLimit({
    max,
    timeWindow: windowMs,
    keyGenerator: (request) => `${name}:${key ? key(request) : request.ip}`,
  });
  return async (request) => {
    const verdict = await check(request);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    const seconds = Math.max(1, verdict.ttlInSeconds);
    const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
    throw new ApiError(429, 'RATE_LIMITED', `Too many attempts. Wait ${wait} and try again.`, {
      'retry-after': String(seconds),
    });
  };
}

/** Fixed-window counters in the `rate_limits` table, one upsert per request. */
function postgresStore(pool: pg.Pool) {
  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      windowMs: number,
    ) {
      pool
        .query<{ count: number; ttl: number }>(
          `INSERT INTO rate_limits (key, count, reset_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
             reset_at = CASE WHEN rate_limits.reset_at <= now() THEN excluded.reset_at ELSE rate_limits.reset_at END
           RETURNING count, (extract(epoch FROM reset_at - now()) * 1000)::int AS ttl`,
          [key, windowMs],
        )
        .then(
          ({ rows }) => callback(null, { current: rows[0]!.count, ttl: Math.max(0, rows[0]!.ttl) }),
          (error: Error) => callback(error),
        );
      // Expired counters are cleared now and then rather than on a timer of every instance.
      if (Math.random() < 0.01)
        void pool.query('DELETE FROM rate_limits WHERE reset_at < now()').catch(() => {});
    }

    child(): FastifyRateLimitStore {
      return new PostgresRateLimitStore();
    }
  };
}
