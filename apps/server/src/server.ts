/**
 * Starts one server instance: waits for PostgreSQL and migrates, opens the blob store and the
 * mailer, builds the app and listens. `close()` stops accepting requests, lets the ones under
 * way finish and releases everything.
 */
import { pino, type Logger } from 'pino';
import { AiQuota } from './ai/ai-quota.js';
import { cloudModels } from './ai/cloud-models.js';
import { buildApp } from './app.js';
import { AccessTokens } from './auth/access-tokens.js';
import { EmailTokens } from './auth/email-tokens.js';
import { OidcProviders } from './auth/oidc-routes.js';
import { Sessions } from './auth/sessions.js';
import type { BlobStore } from './blobs/blob-store.js';
import { diskBlobStore } from './blobs/disk-blob-store.js';
import { s3BlobStore } from './blobs/s3-blob-store.js';
import type { ServerConfig } from './config.js';
import { connectDatabase } from './db/database.js';
import { authenticator } from './http/authenticate.js';
import { logMailer, smtpMailer } from './mail/mailer.js';
import { SyncStore } from './sync/sync-store.js';

export interface RunningServer {
  /** `http://host:port` as bound (the port chosen when 0 was asked for). */
  url: string;
  /** Every route as `METHOD /path`. */
  routes: readonly string[];
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** How long to wait for PostgreSQL at start-up. */
  databaseWaitMs?: number;
  databaseRetryMs?: number;
}

/** Secrets that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.code_verifier',
];

export function serverLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? serverLogger();
  const database = await connectDatabase({
    url: config.databaseUrl,
    logger,
    waitMs: options.databaseWaitMs,
    retryMs: options.databaseRetryMs,
  });
  const blobStore: BlobStore =
    config.blobs.kind === 's3' ? s3BlobStore(config.blobs) : diskBlobStore(config.blobs.dir);
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : logMailer(logger);
  const aiModels = cloudModels(config);
  const accessTokens = new AccessTokens(config.tokenSecret, config.accessTokenSeconds);
  const sessions = new Sessions(database.db, accessTokens, config.refreshTokenDays);
  const pendingMail = new Set<Promise<void>>();

  const app = await buildApp(
    {
      config,
      db: database.db,
      pool: database.pool,
      logger,
      accessTokens,
      sessions,
      emailTokens: new EmailTokens(database.db),
      oidcProviders: new OidcProviders(config.oidcProviders),
      syncStore: new SyncStore(database.pool),
      blobStore,
      aiModels,
      aiQuota: new AiQuota(database.db, config.aiDailyTokens),
      authenticate: authenticator(accessTokens, sessions),
      deliver(email) {
        const sending = mailer
          .send(email)
          .catch((error: unknown) =>
            logger.error({ err: error, subject: email.subject }, 'An email could not be sent'),
          )
          .finally(() => pendingMail.delete(sending));
        pendingMail.add(sending);
      },
    },
    { logger, trustProxy: config.trustProxy },
  );
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await Promise.all([app.close(), database.close(), blobStore.close()]);
    throw error;
  }
  logger.info(`Little Monster server listening on ${address} (${app.routeList.length} routes)`);
  return {
    url: address,
    routes: app.routeList,
    async close() {
      await app.close();
      await Promise.allSettled(pendingMail);
      mailer.close();
      await Promise.all([aiModels.close(), blobStore.close(), database.close()]);
    },
  };
}
