#!/usr/bin/env node
/**
 * `npm run server`: the account and sync server for development, needing nothing installed.
 * Without DATABASE_URL it runs PostgreSQL from npm in `.data/server/postgres`; without
 * AUTH_TOKEN_SECRET it makes one in `.data/server` (set both in production). Every other
 * setting is an environment variable (see the README).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { ConfigError, configFromEnv } from './config.js';
import { DatabaseUnreachableError } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded-postgres.js';
import { serverLogger, startServer } from './server.js';

const DATABASE = 'little_monster';

async function main(): Promise<void> {
  const logger = serverLogger();
  const dataDir = resolve(process.env.SERVER_DATA_DIR ?? '.data/server');
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env };
  let postgres: EmbeddedPostgresHandle | undefined;
  if (!env.DATABASE_URL) {
    logger.info(`No DATABASE_URL: starting PostgreSQL from npm in ${join(dataDir, 'postgres')}.`);
    postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres') });
    env.DATABASE_URL = await ensureDatabase(postgres.url, DATABASE);
  }
  env.AUTH_TOKEN_SECRET ??= developmentSecret(dataDir);

  let server;
  try {
    server = await startServer(configFromEnv(env, { blobDir: join(dataDir, 'blobs') }), { logger });
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
  const stop = async () => {
    logger.info('Stopping...');
    await server.close();
    await postgres?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** The server's own database inside the embedded cluster, created on first start. */
async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** A token key kept beside the development database (readable by this user only). */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'token-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DatabaseUnreachableError;
  console.error(known ? (error as Error).message : error);
  process.exit(1);
});
