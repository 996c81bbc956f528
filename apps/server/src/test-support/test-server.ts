/**
 * A real server instance for tests: its own database in the run's PostgreSQL (or a shared one,
 * for several instances), blobs in a temporary folder, email to a local SMTP server, listening
 * on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { DEFAULTS, type ServerConfig } from '../config.js';
import { freePort } from '../free-port.js';
import { startServer, type RunningServer } from '../server.js';
import { createDatabase } from './databases.js';
import { startMailbox, type Mailbox } from './mailbox.js';

export interface TestServer {
  url: string;
  routes: readonly string[];
  config: ServerConfig;
  mailbox: Mailbox;
  /** Direct access to the server's database, to check what it stored. */
  pool: pg.Pool;
  /** Stops the server (the database and mailbox stay until `close`). */
  stop(): Promise<void>;
  /** Starts it again on the same port, database and blob folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: Partial<ServerConfig>;
  /** Share the database, token key and blobs of another test server (a second instance). */
  sameDataAs?: TestServer;
  logger?: Logger;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const mailbox = options.sameDataAs?.mailbox ?? (await startMailbox());
  const blobDir = mkdtempSync(join(tmpdir(), 'lm-server-blobs-'));
  const port = await freePort();
  const base = options.sameDataAs?.config;
  const config: ServerConfig = {
    host: '127.0.0.1',
    port,
    publicUrl: `http://127.0.0.1:${port}`,
    databaseUrl: base?.databaseUrl ?? (await createDatabase()),
    tokenSecret: base?.tokenSecret ?? randomBytes(32),
    accessTokenSeconds: DEFAULTS.accessTokenSeconds,
    refreshTokenDays: DEFAULTS.refreshTokenDays,
    blobs: base?.blobs ?? { kind: 'disk', dir: blobDir },
    maxBlobBytes: DEFAULTS.maxBlobBytes,
    storageQuotaBytes: DEFAULTS.storageQuotaBytes,
    // Small parts: the tests upload files of several parts without megabytes of data.
    blobPartBytes: 64 * 1024,
    smtpUrl: mailbox.url,
    mailFrom: DEFAULTS.mailFrom,
    oidcProviders: [],
    aiDailyTokens: DEFAULTS.aiDailyTokens,
    aiRequestsPerMinute: DEFAULTS.aiRequestsPerMinute,
    maxClockDriftMs: DEFAULTS.maxClockDriftMs,
    trustProxy: false,
    rateLimitScale: 1,
    ...options.config,
  };
  const logger = options.logger ?? pino({ level: 'silent' });
  let running: RunningServer | undefined = await startServer(config, { logger });
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
  return {
    url: running.url,
    routes: running.routes,
    config,
    mailbox,
    pool,
    async stop() {
      await running?.close();
      running = undefined;
    },
    async restart() {
      running ??= await startServer(config, { logger });
    },
    async close() {
      await running?.close();
      running = undefined;
      await pool.end();
      if (!options.sameDataAs) await mailbox.close();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
