/**
 * Flashcards, each figure beside a baseline run in the same process:
 *
 * - replaying a card's whole review log into its state (FsrsScheduler.replay: sort, convert,
 *   ts-fsrs reschedule, due from the last row) against ts-fsrs `reschedule` called directly on
 *   prepared histories; target <= 1 ms per card;
 * - fitting FSRS weights on ~40,000 reviews of a simulated learner (our path: split by card,
 *   worker thread, fit, score old and new on held-out cards) against the binding's own
 *   `computeParameters` on the same training items in this thread;
 * - reading a 20,000-card .apkg with 1,000 media files (openAnkiPackage, every media
 *   file read) against the floor: unzip the collection, open it and select every note, card and
 *   review row, read every media file.
 *
 * BENCH_CARDS sets the package size (default 20000).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeParameters, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import Database from 'better-sqlite3';
import { createEmptyCard, fsrs, type FSRSHistory, type Grade } from 'ts-fsrs';
import { mulberry32 } from '../scripts/fixtures/make-llama-model.js';
import { PackageArchive } from '../packages/core/src/domains/study/anki/package-archive.js';
import { openAnkiPackage } from '../packages/core/src/domains/study/anki/read-anki-package.js';
import { zstdDecompress, zstdDecompressAll } from '../packages/core/src/domains/study/anki/zstd-stream.js';
import {
  BASIC_TYPE,
  CLOZE_TYPE,
  writeTestPackage,
  type TestCollection,
} from '../packages/core/src/domains/study/anki/test-support/anki-packages.js';
import { FsrsScheduler } from '../packages/core/src/domains/study/scheduling/fsrs-scheduler.js';
import type * as OptimizerModule from '../packages/core/src/domains/study/scheduling/optimizer.js';
import { splitByCard, trainingItemLengths } from '../packages/core/src/domains/study/scheduling/optimizer.js';
import { DEFAULT_SCHEDULING_OPTIONS } from '../packages/core/src/domains/study/scheduling/scheduling-options.js';
import { simulateLearner } from '../packages/core/src/domains/study/scheduling/test-support/simulated-learner.js';
import { mb, median, ms, percentile, printTable } from './stats.js';

// Built code (npm run bench builds it), as the app runs it: the optimiser's worker thread is plain
// JavaScript there, not TypeScript compiled when the thread starts.
const { optimiseWeights } = (await import(
  new URL('../packages/core/dist/domains/study/scheduling/optimizer.js', import.meta.url).href
)) as typeof OptimizerModule;

const PACKAGE_CARDS = Number(process.env.BENCH_CARDS ?? 20_000);
const START = Date.UTC(2023, 0, 2, 9, 0);
const DAY = 86_400_000;

const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};

// --- replay -------------------------------------------------------------------------------------
{
  const logs = simulateLearner({ cards: 300, newCardsPerDay: 300, days: 730, start: START });
  const cards = [...logs.values()];
  const reviews = cards.map((rows) => rows.length);
  const scheduler = new FsrsScheduler(DEFAULT_SCHEDULING_OPTIONS);
  const direct = fsrs({
    w: [...DEFAULT_SCHEDULING_OPTIONS.weights],
    enable_fuzz: false,
    enable_short_term: true,
  });
  const histories = cards.map((rows) =>
    rows.map((row): FSRSHistory => ({ rating: (row as { rating: Grade }).rating, review: new Date(row.at) })),
  );
  const ours: number[] = [];
  const baseline: number[] = [];
  // Round 0 warms both paths up and is not counted.
  for (let round = 0; round <= 5; round += 1) {
    cards.forEach((rows, index) => {
      let started = performance.now();
      scheduler.replay(rows);
      if (round > 0) ours.push(performance.now() - started);
      const history = histories[index]!.map((entry) => ({ ...entry }));
      started = performance.now();
      direct.reschedule(createEmptyCard(new Date(0)), history, { skipManual: false });
      if (round > 0) baseline.push(performance.now() - started);
    });
  }
  printTable(
    `Replaying one card's whole log (${cards.length} cards, ${median(reviews)} reviews median, ${Math.max(...reviews)} max; 5 rounds)`,
    [
      {
        path: 'FsrsScheduler.replay',
        p50: ms(median(ours)),
        p95: ms(percentile(ours, 95)),
        max: ms(Math.max(...ours)),
      },
      {
        path: 'ts-fsrs reschedule (baseline)',
        p50: ms(median(baseline)),
        p95: ms(percentile(baseline, 95)),
        max: ms(Math.max(...baseline)),
      },
      {
        path: 'ratio p95',
        p50: (median(ours) / median(baseline)).toFixed(2),
        p95: (percentile(ours, 95) / percentile(baseline, 95)).toFixed(2),
        max: '',
      },
    ],
  );
}

// --- optimiser ----------------------------------------------------------------------------------
{
  const logs = simulateLearner({ cards: 3_600, newCardsPerDay: 30, days: 240, start: START, seed: 11 });
  const answers = [...logs.values()].reduce(
    (sum, rows) => sum + rows.filter((row) => row.kind === 'answer').length,
    0,
  );
  const { train } = splitByCard(logs);
  const [result, oursMs] = await time(() =>
    optimiseWeights(logs, DEFAULT_SCHEDULING_OPTIONS.weights, { signal: new AbortController().signal }),
  );
  const items = train.flatMap((history) => {
    const reviews = history.map(([rating, delta]) => new FSRSBindingReview(rating, delta));
    return trainingItemLengths(history).map((length) => new FSRSBindingItem(reviews.slice(0, length)));
  });
  const [, baselineMs] = await time(() => computeParameters(items, { enableShortTerm: true }));
  printTable(
    `Fitting FSRS weights on ${answers} reviews (${result.trainingItems} training items, ${result.heldOutItems} held out)`,
    [
      {
        path: 'optimiseWeights (worker, split, fit, score both)',
        time: ms(oursMs),
        'log-loss before': result.before.logLoss.toFixed(4),
        'log-loss after': result.after.logLoss.toFixed(4),
        'RMSE before': result.before.rmse.toFixed(4),
        'RMSE after': result.after.rmse.toFixed(4),
        adopted: String(result.adopted),
      },
      {
        path: 'binding computeParameters, items prebuilt (baseline)',
        time: ms(baselineMs),
        'log-loss before': '',
        'log-loss after': '',
        'RMSE before': '',
        'RMSE after': '',
        adopted: '',
      },
      {
        path: 'ratio',
        time: (oursMs / baselineMs).toFixed(2),
        'log-loss before': '',
        'log-loss after': '',
        'RMSE before': '',
        'RMSE after': '',
        adopted: '',
      },
    ],
  );
}

// --- reading a large .apkg ------------------------------------------------------------------------
const root = mkdtempSync(join(tmpdir(), 'lm-bench-flashcards-'));
try {
  const path = join(root, 'large.apkg');
  const [collection, generateMs] = await time(() => largeCollection(PACKAGE_CARDS));
  await writeTestPackage(path, collection, 'anki21b');
  console.log(
    `\nGenerated a ${PACKAGE_CARDS}-card anki21b package (${collection.revlog.length} reviews, ${collection.media.length} media files, ${mb(statSync(path).size)}) in ${ms(generateMs)}`,
  );
  const progress: number[] = [];
  const rssBefore = process.memoryUsage().rss;
  const [counts, oursMs] = await time(async () => {
    const pkg = await openAnkiPackage(path);
    let mediaBytes = 0;
    for (const file of pkg.media) for await (const chunk of file.read()) mediaBytes += chunk.length;
    const { notes } = pkg.read({ onProgress: (fraction) => progress.push(fraction) });
    pkg.close();
    return { notes: notes.length, mediaBytes };
  });
  const rssAfter = process.memoryUsage().rss;
  const [, floorMs] = await time(async () => {
    const archive = await PackageArchive.open(path);
    const bytes = await zstdDecompressAll(
      await archive.read('collection.anki21b', 2 ** 30, 'the collection'),
      2 ** 30,
      'the collection',
    );
    const db = new Database(bytes);
    db.prepare('SELECT * FROM notes').all();
    db.prepare('SELECT * FROM cards').all();
    db.prepare('SELECT * FROM revlog').all();
    db.close();
    for (let index = 0; index < collection.media.length; index += 1) {
      for await (const chunk of zstdDecompress(
        archive.chunks(String(index), 2 ** 30, 'media'),
        2 ** 30,
        'media',
      ))
        void chunk;
    }
    archive.close();
  });
  printTable(`Reading a ${PACKAGE_CARDS}-card .apkg with media`, [
    {
      path: 'openAnkiPackage + every media file + read',
      time: ms(oursMs),
      notes: counts.notes,
      'media read': mb(counts.mediaBytes),
      'progress events': progress.length,
      'RSS growth': mb(rssAfter - rssBefore),
    },
    {
      path: 'unzip + select every row + media (floor)',
      time: ms(floorMs),
      notes: '',
      'media read': '',
      'progress events': '',
      'RSS growth': '',
    },
    {
      path: 'ratio',
      time: (oursMs / floorMs).toFixed(2),
      notes: '',
      'media read': '',
      'progress events': '',
      'RSS growth': '',
    },
  ]);
} finally {
  rmSync(root, { recursive: true, force: true });
}

/** A collection the size of a big shared deck: basic and cloze notes, three reviews per card, media. */
function largeCollection(cards: number): TestCollection {
  const random = mulberry32(3);
  const collection: TestCollection = {
    createdAt: START / 1000,
    noteTypes: [BASIC_TYPE, CLOZE_TYPE],
    decks: [
      { id: 1, name: 'Default' },
      { id: 2, name: 'Medicine::Pharmacology', configId: 1 },
    ],
    deckConfigs: [{ id: 1, desiredRetention: 0.9, newPerDay: 30 }],
    notes: [],
    cards: [],
    revlog: [],
    media: Array.from({ length: Math.ceil(cards / 20) }, (_, index) => ({
      name: `figure-${index}.png`,
      bytes: Uint8Array.from({ length: 16_384 }, () => Math.floor(random() * 256)),
    })),
  };
  for (let index = 0; index < cards; index += 1) {
    const id = START + index;
    const cloze = index % 4 === 0;
    const media = index % 20 === 0 ? `<img src="figure-${index / 20}.png">` : '';
    collection.notes.push({
      id,
      guid: `g${index}`,
      mid: cloze ? CLOZE_TYPE.id : BASIC_TYPE.id,
      tags: ['pharmacology', `week${index % 12}`],
      fields: cloze
        ? [`Drug ${index} inhibits {{c1::enzyme ${index}}} in the <b>liver</b>`, media]
        : [`What does drug <i>${index}</i> treat?`, `Condition ${index}${media}`],
    });
    const reviewed = index % 3 !== 0;
    collection.cards.push({
      id,
      nid: id,
      did: 2,
      ord: 0,
      type: reviewed ? 2 : 0,
      queue: reviewed ? 2 : 0,
      due: reviewed ? 400 + (index % 30) : index,
      ivl: reviewed ? 10 : 0,
      factor: reviewed ? 2500 : 0,
    });
    if (reviewed) {
      const first = START + (index % 300) * DAY;
      collection.revlog.push(
        { id: first + index, cid: id, ease: 3, ivl: -600, type: 0 },
        { id: first + 600_000 + index, cid: id, ease: 3, ivl: 1, type: 0 },
        { id: first + DAY + index, cid: id, ease: 3, ivl: 10, type: 1 },
      );
    }
  }
  return collection;
}
