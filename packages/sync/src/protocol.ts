/**
 * The sync wire format between a device and the server. The server sees only envelopes: a
 * timestamp, which key encrypted the content, and the content (AES-256-GCM ciphertext, or the
 * change's JSON for an account without end-to-end encryption).
 */
import { z } from 'zod';
import { timestampSchema } from './change.js';
import { MERKLE_DEPTH, type MerkleTree } from './merkle.js';

/** Most messages one request carries either way. */
export const MAX_MESSAGES_PER_REQUEST = 1000;
/** Largest message content: a change to one row (a note's text) fits many times over. */
export const MAX_CONTENT_BYTES = 256 * 1024;
/** Most message content (base64) a device puts in one request; the server accepts twice that. */
export const MAX_REQUEST_CONTENT_CHARS = 16 * 1024 * 1024;

export const keyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const envelopeSchema = z.object({
  timestamp: timestampSchema,
  /** The end-to-end key that encrypted `content`; null when it is plain JSON. */
  keyId: keyIdSchema.nullable(),
  /** Base64. */
  content: z.base64().max(Math.ceil(MAX_CONTENT_BYTES / 3) * 4),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const digit = (depth: number): z.ZodType<MerkleTree> =>
  z.lazy(() =>
    depth > MERKLE_DEPTH
      ? z.never()
      : z.object({
          hash: z.number().int(),
          '0': digit(depth + 1).optional(),
          '1': digit(depth + 1).optional(),
          '2': digit(depth + 1).optional(),
        }),
  ) as z.ZodType<MerkleTree>;
export const merkleTreeSchema = digit(0);

export const syncRequestSchema = z.object({
  /** New local messages (and, after a divergence, older ones again); the server keeps each once. */
  messages: z.array(envelopeSchema).max(MAX_MESSAGES_PER_REQUEST),
  /** Messages after this timestamp are pulled (null: from the beginning). */
  after: timestampSchema.nullable(),
  /** Asks for the server's pruned Merkle tree (sent after a root hash mismatch). */
  tree: z.boolean().default(false),
});
export type SyncRequest = z.input<typeof syncRequestSchema>;

export const syncResponseSchema = z.object({
  /** Other devices' messages after `after`, oldest first, at most one page. */
  messages: z.array(envelopeSchema),
  /** True when more messages follow: ask again after `cursor`. */
  more: z.boolean(),
  /**
   * Where the page ended (its last message, counting the device's own, which are not sent back),
   * or `after` when it was empty: the next pull starts after it.
   */
  cursor: timestampSchema.nullable(),
  merkle: z.object({
    /** The root hash of every message the server holds for this account. */
    hash: z.number().int(),
    /** The tree, pruned, when asked for. */
    tree: merkleTreeSchema.optional(),
  }),
});
export type SyncResponse = z.infer<typeof syncResponseSchema>;

/** The error body every server route answers with. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
