/**
 * The server's settings, read from the environment by `configFromEnv` (documented in the
 * README) or given whole by tests. Secrets (token key, SMTP password, cloud keys) come only
 * from the environment and never appear in logs.
 */
import { BLOB_PART_BYTES } from '@little-monster/sync';
import { z } from 'zod';

export interface OidcProviderConfig {
  /** In URLs: /v1/auth/oidc/<id>/start. */
  id: string;
  /** Shown on the sign-in button. */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface BedrockConfig {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Model (or inference profile) ids offered to students. */
  models: string[];
  endpoint?: string;
}

export interface AzureOpenAiConfig {
  endpoint: string;
  apiKey: string;
  deployments: string[];
  apiVersion?: string;
}

export type BlobStoreConfig =
  | { kind: 'disk'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle?: boolean;
    };

export interface ServerConfig {
  host: string;
  port: number;
  /** The address users reach, for links in emails and the provider's callback. */
  publicUrl: string;
  databaseUrl: string;
  /** At least 32 random bytes: signs access tokens (shared by every instance). */
  tokenSecret: Buffer;
  accessTokenSeconds: number;
  refreshTokenDays: number;
  blobs: BlobStoreConfig;
  /** Largest single file. */
  maxBlobBytes: number;
  /** Stored files per account. */
  storageQuotaBytes: number;
  /** Size of the parts a file is uploaded in (what a broken upload loses at most). */
  blobPartBytes: number;
  /** smtp(s)://user:pass@host:port; unset: emails are written to the log (development). */
  smtpUrl?: string;
  mailFrom: string;
  oidcProviders: OidcProviderConfig[];
  bedrock?: BedrockConfig;
  azureOpenAi?: AzureOpenAiConfig;
  /** Cloud AI tokens per user per day (UTC). */
  aiDailyTokens: number;
  aiRequestsPerMinute: number;
  /** Largest accepted lead of a message timestamp over the server's clock. */
  maxClockDriftMs: number;
  /** Behind a load balancer: trust its X-Forwarded-For for client addresses. */
  trustProxy: boolean;
  /** Multiplies every auth rate limit (tests of other things raise it). */
  rateLimitScale: number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  accessTokenSeconds: 600,
  refreshTokenDays: 90,
  maxBlobBytes: 4 * 1024 ** 3,
  storageQuotaBytes: 20 * 1024 ** 3,
  blobPartBytes: BLOB_PART_BYTES,
  mailFrom: 'Little Monster <no-reply@localhost>',
  aiDailyTokens: 200_000,
  aiRequestsPerMinute: 20,
  maxClockDriftMs: 5 * 60_000,
  rateLimitScale: 1,
} as const;

const list = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);
const secret = z
  .string()
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((bytes) => bytes.length >= 32, 'AUTH_TOKEN_SECRET must be at least 32 random bytes in base64.');

const environmentSchema = z.object({
  HOST: z.string().default(DEFAULTS.host),
  PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULTS.port),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1),
  AUTH_TOKEN_SECRET: secret,
  BLOB_STORE: z.enum(['disk', 's3']).default('disk'),
  BLOB_DIR: z.string().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().default(false),
  MAX_BLOB_BYTES: z.coerce.number().int().positive().default(DEFAULTS.maxBlobBytes),
  STORAGE_QUOTA_BYTES: z.coerce.number().int().positive().default(DEFAULTS.storageQuotaBytes),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default(DEFAULTS.mailFrom),
  OIDC_PROVIDERS: z
    .string()
    .optional()
    .transform((text, context) => {
      if (!text) return [];
      try {
        return z
          .array(
            z.object({
              id: z.string().regex(/^[a-z0-9-]{1,40}$/),
              name: z.string().min(1),
              issuer: z.url(),
              clientId: z.string().min(1),
              clientSecret: z.string().min(1),
            }),
          )
          .parse(JSON.parse(text));
      } catch {
        context.addIssue({
          code: 'custom',
          message: 'OIDC_PROVIDERS must be a JSON list of {id, name, issuer, clientId, clientSecret}.',
        });
        return z.NEVER;
      }
    }),
  BEDROCK_REGION: z.string().optional(),
  BEDROCK_ACCESS_KEY_ID: z.string().optional(),
  BEDROCK_SECRET_ACCESS_KEY: z.string().optional(),
  BEDROCK_MODELS: list.optional(),
  BEDROCK_ENDPOINT: z.url().optional(),
  AZURE_OPENAI_ENDPOINT: z.url().optional(),
  AZURE_OPENAI_API_KEY: z.string().optional(),
  AZURE_OPENAI_DEPLOYMENTS: list.optional(),
  AZURE_OPENAI_API_VERSION: z.string().optional(),
  AI_DAILY_TOKENS: z.coerce.number().int().min(0).default(DEFAULTS.aiDailyTokens),
  AI_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULTS.aiRequestsPerMinute),
  MAX_CLOCK_DRIFT_MS: z.coerce.number().int().min(1000).default(DEFAULTS.maxClockDriftMs),
  TRUST_PROXY: z.stringbool().default(false),
});

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`The server's settings are not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the settings from environment variables (see the README for each). */
export function configFromEnv(env: NodeJS.ProcessEnv, defaults: { blobDir: string }): ServerConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  const e = parsed.data;
  const problems: string[] = [];
  if (e.BLOB_STORE === 's3' && !e.S3_BUCKET) problems.push('BLOB_STORE=s3 needs S3_BUCKET.');
  const bedrockSet = [
    e.BEDROCK_REGION,
    e.BEDROCK_ACCESS_KEY_ID,
    e.BEDROCK_SECRET_ACCESS_KEY,
    e.BEDROCK_MODELS,
  ];
  if (bedrockSet.some(Boolean) && !bedrockSet.every(Boolean))
    problems.push(
      'Amazon Bedrock needs BEDROCK_REGION, BEDROCK_ACCESS_KEY_ID, BEDROCK_SECRET_ACCESS_KEY and BEDROCK_MODELS.',
    );
  const azureSet = [e.AZURE_OPENAI_ENDPOINT, e.AZURE_OPENAI_API_KEY, e.AZURE_OPENAI_DEPLOYMENTS];
  if (azureSet.some(Boolean) && !azureSet.every(Boolean))
    problems.push(
      'Azure OpenAI needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENTS.',
    );
  if (problems.length) throw new ConfigError(problems);

  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    tokenSecret: e.AUTH_TOKEN_SECRET,
    accessTokenSeconds: DEFAULTS.accessTokenSeconds,
    refreshTokenDays: DEFAULTS.refreshTokenDays,
    blobs:
      e.BLOB_STORE === 's3'
        ? {
            kind: 's3',
            bucket: e.S3_BUCKET!,
            region: e.S3_REGION,
            endpoint: e.S3_ENDPOINT,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          }
        : { kind: 'disk', dir: e.BLOB_DIR ?? defaults.blobDir },
    maxBlobBytes: e.MAX_BLOB_BYTES,
    storageQuotaBytes: e.STORAGE_QUOTA_BYTES,
    blobPartBytes: DEFAULTS.blobPartBytes,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    oidcProviders: e.OIDC_PROVIDERS,
    bedrock: e.BEDROCK_REGION
      ? {
          region: e.BEDROCK_REGION,
          accessKeyId: e.BEDROCK_ACCESS_KEY_ID!,
          secretAccessKey: e.BEDROCK_SECRET_ACCESS_KEY!,
          models: e.BEDROCK_MODELS!,
          endpoint: e.BEDROCK_ENDPOINT,
        }
      : undefined,
    azureOpenAi: e.AZURE_OPENAI_ENDPOINT
      ? {
          endpoint: e.AZURE_OPENAI_ENDPOINT,
          apiKey: e.AZURE_OPENAI_API_KEY!,
          deployments: e.AZURE_OPENAI_DEPLOYMENTS!,
          apiVersion: e.AZURE_OPENAI_API_VERSION,
        }
      : undefined,
    aiDailyTokens: e.AI_DAILY_TOKENS,
    aiRequestsPerMinute: e.AI_REQUESTS_PER_MINUTE,
    maxClockDriftMs: e.MAX_CLOCK_DRIFT_MS,
    trustProxy: e.TRUST_PROXY,
    rateLimitScale: DEFAULTS.rateLimitScale,
  };
}
