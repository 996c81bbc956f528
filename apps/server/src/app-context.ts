/** What the routes are built from: one object per server instance. */
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { AiQuota } from './ai/ai-quota.js';
import type { CloudModels } from './ai/cloud-models.js';
import type { AccessTokens } from './auth/access-tokens.js';
import type { EmailTokens } from './auth/email-tokens.js';
import type { OidcProviders } from './auth/oidc-routes.js';
import type { Sessions } from './auth/sessions.js';
import type { BlobStore } from './blobs/blob-store.js';
import type { ServerConfig } from './config.js';
import type { Database } from './db/database.js';
import type { Email } from './mail/mailer.js';
import type { SyncStore } from './sync/sync-store.js';

export interface AppContext {
  config: ServerConfig;
  db: Database;
  pool: pg.Pool;
  logger: Logger;
  accessTokens: AccessTokens;
  sessions: Sessions;
  emailTokens: EmailTokens;
  oidcProviders: OidcProviders;
  syncStore: SyncStore;
  blobStore: BlobStore;
  aiModels: CloudModels;
  aiQuota: AiQuota;
  /** The guard of signed-in routes: sets `request.auth`. */
  authenticate: (request: FastifyRequest) => Promise<void>;
  /** A per-user limit for the signed-in routes that are not already limited otherwise. */
  userLimit: preHandlerAsyncHookHandler;
  /** Sends an email after the answer, so its delivery time reveals nothing; failures are logged. */
  deliver(email: Email): void;
}
