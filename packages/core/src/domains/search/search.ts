import type { DomainKit, DomainModule } from '../../kit/kit.js';
import { EMBED_JOB } from '../../search/embed-job.js';

/**
 * Search as the student uses it: one query over every kind of source, by keyword and by meaning.
 * Keeps search by meaning current: whenever passages are written or the embedding model changes,
 * one background job embeds whatever has no vector yet.
 */
export function createSearch(kit: DomainKit): DomainModule<'search.query'> {
  const { jobs, engines, logger } = kit;

  /** One embedding job at a time is enough (it embeds everything still without a vector); none without a model. */
  const queueEmbedding = () => {
    void (async () => {
      try {
        const embedder = await engines.embedder.current();
        const waiting = jobs.list({ status: ['queued'], limit: 500 }).some((job) => job.kind === EMBED_JOB);
        if (embedder && !waiting) jobs.enqueue(EMBED_JOB, {});
      } catch (error) {
        logger.warn({ err: error }, 'search by meaning is unavailable');
      }
    })();
  };
  const stopFollowing = kit.search.onIndexed(queueEmbedding);
  // Vectors from before the binary index are copied over once, by the embed job, with progress.
  if (kit.search.hasVectorsToUpgrade()) queueEmbedding();

  return {
    handlers: {
      'search.query': ({ importedFrom, importedTo, ...request }) =>
        kit.search.search({
          ...request,
          // Stored times are UTC ISO strings: compare like with like.
          ...(importedFrom ? { importedFrom: asUtc(importedFrom) } : {}),
          ...(importedTo ? { importedTo: asUtc(importedTo) } : {}),
          asYouType: true,
        }),
    },
    jobs: [kit.search.embedJob(() => engines.embedder.current())],
    subscriptions: {
      'engines.changed': ({ ports }) => {
        if (ports.includes('embedder')) queueEmbedding();
      },
    },
    close: stopFollowing,
  };
}

/** A date stays a date (the filter reads it as a whole day); an instant becomes UTC ISO. */
const asUtc = (value: string) => (value.length === 10 ? value : new Date(value).toISOString());
