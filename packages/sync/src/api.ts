/**
 * The account server's routes besides sync itself, as zod schemas shared by the server (which
 * validates with them) and the desktop (which checks answers with them).
 */
import { z } from 'zod';
import { keyEnvelopeSchema } from './e2ee.js';

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('Enter an email address such as name@example.org.'))
  .transform((email) => email.toLowerCase());

/** ASVS 2.1: at least 12 characters, at most 128, anything allowed (spaces, any script). */
export const passwordSchema = z
  .string()
  .min(12, 'Choose a password of at least 12 characters.')
  .max(128, 'Choose a password of at most 128 characters.');

export const deviceInfoSchema = z.object({
  /** Shown in the devices list ("Ana's laptop"). */
  name: z.string().trim().min(1).max(100),
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
});
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

export const registerRequestSchema = z.object({ email: emailSchema, password: passwordSchema });
export const loginRequestSchema = z.object({
  email: emailSchema,
  // Any length is checked (a wrong one is simply wrong), within a sane bound.
  password: z.string().min(1).max(1024),
  device: deviceInfoSchema,
});
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(200) });
export const emailRequestSchema = z.object({ email: emailSchema });
export const tokenRequestSchema = z.object({ token: z.string().min(20).max(200) });
export const resetPasswordRequestSchema = z.object({
  token: z.string().min(20).max(200),
  password: passwordSchema,
});

export const tokensSchema = z.object({
  accessToken: z.string(),
  /** Single use: each refresh answers with a new one. */
  refreshToken: z.string(),
  /** Seconds the access token stays valid. */
  expiresIn: z.number().int(),
  deviceId: z.uuid(),
});
export type Tokens = z.infer<typeof tokensSchema>;

/** A uniform answer that does not say whether an account exists. */
export const acceptedSchema = z.object({ message: z.string() });

export const oidcProviderSchema = z.object({ id: z.string(), name: z.string() });
export const oidcProvidersSchema = z.object({ providers: z.array(oidcProviderSchema) });
export const oidcStartQuerySchema = z.object({
  /** The device's loopback redirect (RFC 8252 section 7.3): http://127.0.0.1:<port>/<path>. */
  redirect_uri: z.string().max(200),
  state: z.string().min(16).max(200),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  code_challenge_method: z.literal('S256'),
});
export const oidcTokenRequestSchema = z.object({
  code: z.string().min(20).max(200),
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  redirect_uri: z.string().max(200),
  device: deviceInfoSchema,
});

export const accountSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  emailVerified: z.boolean(),
  hasPassword: z.boolean(),
  identities: z.array(z.object({ provider: z.string(), email: z.string().nullable() })),
  createdAt: z.iso.datetime(),
});
export type Account = z.infer<typeof accountSchema>;

export const deviceSchema = deviceInfoSchema.extend({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  /** The device making the request. */
  current: z.boolean(),
});
export const devicesSchema = z.object({ devices: z.array(deviceSchema) });

export const deleteAccountRequestSchema = z.object({
  /** Typed again to confirm. */
  email: emailSchema,
  /** Required for an account that has a password. */
  password: z.string().max(1024).optional(),
});

export const syncKeySchema = z.object({ envelope: keyEnvelopeSchema, version: z.number().int().positive() });
export const putSyncKeyRequestSchema = z.object({
  envelope: keyEnvelopeSchema,
  /** The version this device read (absent for the first key): a lost update is refused. */
  expectedVersion: z.number().int().positive().optional(),
});

export const blobHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'A blob is named by its SHA-256 in hex.');
/**
 * Parts are uploaded separately, so a broken upload resumes at the first missing part. The
 * server says its part size in each upload status; this is its default.
 */
export const BLOB_PART_BYTES = 8 * 1024 * 1024;
export const blobUploadRequestSchema = z.object({ size: z.number().int().min(0) });
export const blobStatusSchema = z.object({
  hash: blobHashSchema,
  size: z.number().int(),
  /** The blob is stored: nothing (more) to upload. */
  complete: z.boolean(),
  partBytes: z.number().int(),
  /** Part numbers already received. */
  receivedParts: z.array(z.number().int()),
});
export type BlobStatus = z.infer<typeof blobStatusSchema>;

export const aiModelSchema = z.object({ id: z.string(), label: z.string(), contextTokens: z.number().int() });
export const aiModelsSchema = z.object({ models: z.array(aiModelSchema) });
export const aiGenerateRequestSchema = z.object({
  model: z.string().max(200),
  system: z.string().max(100_000),
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(200_000) })).max(200),
  prompt: z.string().min(1).max(400_000),
  maxTokens: z.number().int().min(1).max(8192),
  temperature: z.number().min(0).max(2).optional(),
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
});
export type AiGenerateRequest = z.infer<typeof aiGenerateRequestSchema>;
/** The generate route streams one JSON object per line. */
export const aiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('done'),
    finish: z.enum(['done', 'length', 'stopped']),
    usage: z.object({ promptTokens: z.number().nullable(), outputTokens: z.number().nullable() }),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type AiEvent = z.infer<typeof aiEventSchema>;
export const aiQuotaSchema = z.object({
  usedTokens: z.number().int(),
  limitTokens: z.number().int(),
  resetsAt: z.iso.datetime(),
});
