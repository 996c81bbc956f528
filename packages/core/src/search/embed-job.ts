import { z } from 'zod';
import type { Embedder } from '../ai/embedder/embedder.js';
import { defineJob } from '../jobs/job-handler.js';
import type { SearchIndex } from './search-index.js';

export const EMBED_JOB = 'search.embed';

const payloadSchema = z.object({
  /**
   * Rebuild the selected model's vectors from scratch if they were made before this time
   * (ISO). A resumed job finds them newer and does not start over.
   */
  rebuildBefore: z.iso.datetime().optional(),
});

export type EmbedJobPayload = z.infer<typeof payloadSchema>;

/** The payload that rebuilds every vector (e.g. the model file was replaced). */
export const rebuildPayload = (): EmbedJobPayload => ({ rebuildBefore: new Date().toISOString() });

/**
 * Brings the vector index up to date with the selected embedder: drops other models' tables
 * (they cannot answer its queries), copies its vectors from an earlier version's layout if they
 * are still in it, then embeds every chunk without a vector. Interrupted, it
 * resumes where it stopped. With no embedding model installed there is nothing to do.
 */
export function embedJob(index: SearchIndex, currentEmbedder: () => Promise<Embedder | null>) {
  return defineJob({
    kind: EMBED_JOB,
    payload: payloadSchema,
    title: ({ rebuildBefore }) => (rebuildBefore ? 'Rebuild search by meaning' : 'Prepare search by meaning'),
    onInterrupted: 'resume',
    run: async ({ rebuildBefore }, { signal, progress }) => {
      const embedder = await currentEmbedder();
      if (!embedder) return { embedded: 0, skipped: 'no embedding model is installed' };
      const dropped = await index.dropOtherModels(embedder.modelId);
      const upgraded = await index.upgradeLegacy(embedder.modelId, {
        signal,
        onProgress: (copied, total) =>
          progress(
            total === 0 ? 1 : copied / total,
            `Upgraded search by meaning for ${copied} of ${total} passages`,
          ),
      });
      const existing = index.vectors.find(embedder.modelId);
      if (existing && rebuildBefore && existing.createdAt < rebuildBefore)
        await index.dropModel(embedder.modelId);
      const result = await index.embedPending(embedder, {
        signal,
        onProgress: ({ embedded, total }) =>
          progress(total === 0 ? 1 : embedded / total, `Embedded ${embedded} of ${total} passages`),
      });
      return { ...result, dropped, upgraded };
    },
  });
}
