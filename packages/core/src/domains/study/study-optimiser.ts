import { z } from 'zod';
import type { OptimisationSummary } from '../../contract/index.js';
import { defineJob, type RegisteredJob } from '../../jobs/job-handler.js';
import { optimiseWeights } from './scheduling/optimizer.js';
import type { ReviewLogRow } from './scheduling/review-log.js';
import type { StudyRepository } from './study-repository.js';

export const OPTIMISE_JOB = 'study.optimise';
/** Cards whose memory is replayed with the new weights per transaction, so calls are answered between. */
const REPLAY_BATCH = 500;

/**
 * Fits the deck's FSRS weights to its own review log on a worker thread (optimizer.ts). Adopted
 * weights go into the deck's options and every card's memory is replayed with them, a batch at a
 * time; weights that do not predict held-out reviews better leave the deck as it was.
 */
export function optimiserJob(repo: StudyRepository, changed: (deckIds: string[]) => void): RegisteredJob {
  return defineJob<{ deckId: string }>({
    kind: OPTIMISE_JOB,
    payload: z.object({ deckId: z.string().uuid() }),
    title: ({ deckId }) => {
      try {
        return `Fitting the memory model of ${repo.deck(deckId).name}`;
      } catch {
        return 'Fitting a deck’s memory model';
      }
    },
    maxAttempts: 1,
    onInterrupted: 'fail',
    async run({ deckId }, { signal, progress }): Promise<OptimisationSummary> {
      const deck = repo.deck(deckId);
      const logsByCard = new Map<string, ReviewLogRow[]>();
      for (const row of repo.deckContents(deckId).logs) {
        const rows = logsByCard.get(row.cardId);
        if (rows) rows.push(row);
        else logsByCard.set(row.cardId, [row]);
      }
      const result = await optimiseWeights(logsByCard, repo.optionsOf(deck).weights, {
        signal,
        onProgress: progress,
      });
      if (result.adopted) {
        progress(0.95, 'Updating your cards with the new model');
        repo.setOptions(deckId, { weights: result.weights });
        const scheduler = repo.schedulerOf(repo.deck(deckId));
        const cardIds = [...logsByCard.keys()];
        for (let start = 0; start < cardIds.length; start += REPLAY_BATCH) {
          repo.transaction((tx) => {
            for (const cardId of cardIds.slice(start, start + REPLAY_BATCH))
              repo.setMemory(tx, cardId, scheduler.replay(logsByCard.get(cardId)!));
          });
          await new Promise((resolve) => setImmediate(resolve));
        }
        changed([deckId]);
      }
      const { adopted, before, after, trainingItems, heldOutItems } = result;
      return { adopted, before, after, trainingItems, heldOutItems };
    },
  });
}
