/**
 * The connection pool, the wait for PostgreSQL at start-up, and migrations. Several instances
 * may start at once against one database: an advisory lock lets one of them migrate while the
 * others wait, and then find nothing left to do.
 */
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema.js';

export type Database = NodePgDatabase<typeof schema>;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Any constant shared by every instance: the key of the migration lock. */
const MIGRATION_LOCK = 1_700_017;

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Database;
  close(): Promise<void>;
}

export interface ConnectOptions {
  url: string;
  logger: Logger;
  /** Connections per instance. */
  poolSize?: number;
  /** How long to keep trying to reach PostgreSQL at start-up. */
  waitMs?: number;
  /** Pause between attempts. */
  retryMs?: number;
}

export class DatabaseUnreachableError extends Error {
  constructor(where: string, waitedMs: number, cause: unknown) {
    super(
      `PostgreSQL at ${where} could not be reached for ${Math.round(waitedMs / 1000)} s ` +
        `(${describe(cause)}). Start it, or point DATABASE_URL at a running server, then start again.`,
      { cause },
    );
    this.name = 'DatabaseUnreachableError';
  }
}

/** Connects (waiting for PostgreSQL to come up, with a clear log line per attempt) and migrates. */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  const where = describeUrl(options.url);
  const waitMs = options.waitMs ?? 60_000;
  const retryMs = options.retryMs ?? 2_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'A PostgreSQL connection was lost.'));
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        try {
          await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
        }
      } finally {
        client.release();
      }
      break;
    } catch (error) {
      const waited = Date.now() - started;
      if (!isConnectionFailure(error) || waited + retryMs > waitMs) {
        await pool.end();
        throw isConnectionFailure(error) ? new DatabaseUnreachableError(where, waited, error) : error;
      }
      options.logger.warn(
        `PostgreSQL at ${where} is not reachable yet (${describe(error)}); trying again in ${retryMs / 1000} s (attempt ${attempt}).`,
      );
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
  return { pool, db: drizzle({ client: pool, schema }), close: () => pool.end() };
}

/** Errors that mean "PostgreSQL is not there (yet)", as opposed to a broken migration. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code) ||
    // 57P03: the database system is starting up; 08xxx: connection exceptions.
    code === '57P03' ||
    code.startsWith('08') ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(String((error as Error)?.message))
  );
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code ?? message ?? String(error);
}
