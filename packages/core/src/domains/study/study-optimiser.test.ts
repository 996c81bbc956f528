/**
 * Fitting a deck's memory model as a job, through the engine's dispatcher on a real database: a
 * deck imported from Anki with a simulated student's year of reviews is offered the optimiser, the
 * job reports progress and scores old and new weights on held-out reviews, and adopted weights
 * become the deck's; a deck with too few reviews is refused, and a cancelled job changes nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deck, ImportSummary, Job, Note, OptimisationSummary } from '../../contract/index.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';
import { BASIC_TYPE, writeTestPackage, type TestCollection } from './anki/test-support/anki-packages.js';
import { DAY_MS } from './scheduling/study-day.js';
import { simulateLearner } from './scheduling/test-support/simulated-learner.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let deck: Deck;

const REVLOG_TYPE = { new: 0, learning: 0, review: 1, relearning: 2 } as const;

/** An Anki collection of `cards` basic cards holding the simulated student's review history. */
function simulatedCollection(cards: number): TestCollection {
  const start = Date.now() - 160 * DAY_MS;
  const createdAt = Math.floor((start - 30 * DAY_MS) / 1000);
  // Anki keys a review by its time in ms: two answered in the same ms move one a ms on.
  const taken = new Set<number>();
  const uniqueAt = (at: number) => {
    while (taken.has(at)) at += 1;
    taken.add(at);
    return at;
  };
  const logs = [...simulateLearner({ cards, newCardsPerDay: 20, days: 150, start }).values()];
  return {
    createdAt,
    noteTypes: [BASIC_TYPE],
    decks: [
      { id: 1, name: 'Default' },
      { id: 20, name: 'Vocabulary' },
    ],
    deckConfigs: [{ id: 1 }],
    notes: logs.map((_, index) => ({
      id: 1000 + index,
      guid: `sim${index}`,
      mid: BASIC_TYPE.id,
      fields: [`word ${index}`, `meaning ${index}`],
    })),
    cards: logs.map((rows, index) => {
      const last = rows.at(-1)!;
      const due = last.kind === 'answer' ? last.due : Date.now();
      return {
        id: 5000 + index,
        nid: 1000 + index,
        did: 20,
        ord: 0,
        type: 2,
        queue: 2,
        ivl: last.kind === 'answer' ? Math.max(1, last.scheduledDays) : 1,
        due: Math.floor((due / 1000 - createdAt) / 86_400),
      };
    }),
    revlog: logs.flatMap((rows, index) =>
      rows.flatMap((row) =>
        row.kind === 'answer'
          ? [
              {
                id: uniqueAt(row.at),
                cid: 5000 + index,
                ease: row.rating,
                ivl: row.scheduledDays > 0 ? row.scheduledDays : -Math.round((row.due - row.at) / 1000),
                time: row.durationMs,
                type: REVLOG_TYPE[row.stateBefore],
              },
            ]
          : [],
      ),
    ),
    media: [],
  };
}

beforeAll(async () => {
  dir = tempDir('lm-study-optimiser-');
  core = await openTestCore(join(dir.path, 'data'));
  const path = join(dir.path, 'vocabulary.apkg');
  await writeTestPackage(path, simulatedCollection(400), 'anki21');
  const summary = await core.value<ImportSummary>('study.import', { source: { kind: 'path', path } });
  expect(summary.reviews).toBeGreaterThan(1000);
  deck = (await core.value<Deck[]>('study.decks', {})).find((found) => found.name === 'Vocabulary')!;
  // A year of a student's reviews is a large import.
}, 120_000);

afterAll(async () => {
  await core?.close();
  dir?.remove();
});

const finished = (id: string) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    60_000,
  );

describe('the FSRS optimiser', () => {
  it('offers itself once the deck has enough reviews', async () => {
    const status = await core.value<{ reviews: number; needed: number; ownWeights: boolean }>(
      'study.optimiser',
      { deckId: deck.id },
    );
    expect(status.reviews).toBeGreaterThan(status.needed);
    expect(status.ownWeights).toBe(false);
  });

  it('a cancelled job leaves the deck on its weights', async () => {
    const job = await core.value<Job>('study.optimise', { deckId: deck.id });
    await core.value('jobs.cancel', { id: job.id });
    expect((await finished(job.id)).status).toBe('cancelled');
    expect(
      (await core.value<{ ownWeights: boolean }>('study.optimiser', { deckId: deck.id })).ownWeights,
    ).toBe(false);
  });

  it(
    'fits weights to the history, scored on held-out reviews, and the deck schedules with them',
    { timeout: 90_000 },
    async () => {
      const job = await core.value<Job>('study.optimise', { deckId: deck.id });
      expect(job.title).toBe('Fitting the memory model of Vocabulary');
      const done = await finished(job.id);
      expect(done.error).toBeNull();
      expect(done.status).toBe('succeeded');
      const result = done.result as OptimisationSummary;
      expect(result.heldOutItems).toBeGreaterThan(0);
      expect(result.trainingItems).toBeGreaterThan(result.heldOutItems);
      // The simulated student forgets differently from FSRS's defaults: the fit predicts better.
      expect(result.adopted).toBe(true);
      expect(result.after.logLoss).toBeLessThan(result.before.logLoss);
      expect(
        (await core.value<{ ownWeights: boolean }>('study.optimiser', { deckId: deck.id })).ownWeights,
      ).toBe(true);
      expect(core.events.some((event) => event.name === 'study.changed')).toBe(true);
    },
  );

  it('refuses a deck with too few reviews, and starts no job', async () => {
    const { note } = await core.value<{ note: Note }>('study.notes.create', {
      content: { kind: 'basic', front: 'One card', back: 'only' },
    });
    const before = (await core.value<Job[]>('jobs.list', {})).length;
    const result = await core.dispatch('study.optimise', { deckId: note.deckId });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('at least 400 reviews; this deck has 0'),
    });
    expect((await core.value<Job[]>('jobs.list', {})).length).toBe(before);
  });
});
