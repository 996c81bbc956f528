/**
 * The server's PostgreSQL schema. Everything a user owns hangs off `users` with ON DELETE
 * CASCADE, so deleting the account row removes all of it in one statement. Sync timestamps
 * and Merkle paths compare byte by byte (collation "C"): a language collation would ignore
 * their punctuation and sort them out of time order.
 */
import {
  bigint,
  boolean,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
/** Text compared byte by byte. */
const binaryText = customType<{ data: string; driverData: string }>({ dataType: () => 'text COLLATE "C"' });
const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Lower-cased. */
  email: text('email').notNull().unique(),
  emailVerifiedAt: moment('email_verified_at'),
  /** argon2id PHC string; null for an account that signs in only through a provider. */
  passwordHash: text('password_hash'),
  createdAt: moment('created_at').notNull().defaultNow(),
});

export const identities = pgTable(
  'identities',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    email: text('email'),
    createdAt: moment('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.subject] }), index().on(table.userId)],
);

/** One signed-in app: the family of its refresh tokens. */
export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    platform: text('platform').notNull(),
    createdAt: moment('created_at').notNull().defaultNow(),
    lastSeenAt: moment('last_seen_at').notNull().defaultNow(),
    revokedAt: moment('revoked_at'),
  },
  (table) => [index().on(table.userId)],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    /** SHA-256 of the token: a database leak gives no usable token. */
    tokenHash: bytea('token_hash').primaryKey(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    expiresAt: moment('expires_at').notNull(),
    /** Set when it was exchanged; presenting it again means it was stolen or copied. */
    usedAt: moment('used_at'),
  },
  (table) => [index().on(table.deviceId)],
);

export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: bytea('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['verify-email', 'reset-password'] }).notNull(),
    expiresAt: moment('expires_at').notNull(),
    usedAt: moment('used_at'),
  },
  (table) => [index().on(table.userId)],
);

/** A sign-in through a provider, between the start redirect and the provider's callback. */
export const oidcRequests = pgTable('oidc_requests', {
  /** The `state` sent to the provider. */
  state: text('state').primaryKey(),
  provider: text('provider').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  /** The device's loopback redirect, its state and its PKCE challenge. */
  clientRedirectUri: text('client_redirect_uri').notNull(),
  clientState: text('client_state').notNull(),
  clientCodeChallenge: text('client_code_challenge').notNull(),
  expiresAt: moment('expires_at').notNull(),
});

/** The one-time code handed to the device's loopback redirect, exchanged for tokens. */
export const oidcCodes = pgTable('oidc_codes', {
  codeHash: bytea('code_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  clientRedirectUri: text('client_redirect_uri').notNull(),
  clientCodeChallenge: text('client_code_challenge').notNull(),
  expiresAt: moment('expires_at').notNull(),
});

/** Fixed-window counters shared by every instance. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: moment('reset_at').notNull(),
});

export const syncMessages = pgTable(
  'sync_messages',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    timestamp: binaryText('timestamp').notNull(),
    keyId: text('key_id'),
    /** Ciphertext for an encrypted account; the server never reads it. */
    content: bytea('content').notNull(),
    deviceId: uuid('device_id').references(() => devices.id, { onDelete: 'set null' }),
    receivedAt: moment('received_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.timestamp] })],
);

/** The Merkle tree of each user's message timestamps, one row per node (path '' is the root). */
export const merkleNodes = pgTable(
  'merkle_nodes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    path: binaryText('path').notNull(),
    hash: integer('hash').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.path] })],
);

/** The wrapped end-to-end key (the server cannot unwrap it). */
export const syncKeys = pgTable('sync_keys', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  envelope: jsonb('envelope').notNull(),
  version: integer('version').notNull(),
  updatedAt: moment('updated_at').notNull().defaultNow(),
});

export const blobs = pgTable(
  'blobs',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    complete: boolean('complete').notNull().default(false),
    createdAt: moment('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.hash] })],
);

export const blobParts = pgTable(
  'blob_parts',
  {
    userId: uuid('user_id').notNull(),
    hash: text('hash').notNull(),
    part: integer('part').notNull(),
    size: integer('size').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.hash, table.part] }),
    foreignKey({ columns: [table.userId, table.hash], foreignColumns: [blobs.userId, blobs.hash] }).onDelete(
      'cascade',
    ),
  ],
);

export const aiUsage = pgTable(
  'ai_usage',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    requests: integer('requests').notNull().default(0),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.userId, table.day] })],
);
