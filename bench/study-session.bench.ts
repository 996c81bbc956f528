/**
 * A review session on a large collection: 50,000 cards in one deck with 500,000 review-log rows
 * (BENCH_CARDS, ten rows a card). Each step picks the next card (StudySession.next: the day's due
 * counts within the limits, new cards spread among reviews, the card's sides and the due date of
 * each rating with load balancing) and answers it (StudySession.answer: the card's log replayed,
 * FSRS, load balancing, one log row appended and the card's columns set, in one transaction).
 * Baseline, on the same database: the floor of the same work in SQL: the first due review by the
 * queue index, its note, and one row appended to the log with the card updated. Target: p95 <= 5 ms
 * each for next and answer.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultMigrationsDir } from '../packages/core/src/db/migrations.js';
import { openDatabase } from '../packages/core/src/db/open-database.js';
import { Store } from '../packages/core/src/db/store.js';
import { StudyRepository } from '../packages/core/src/domains/study/study-repository.js';
import { StudySession } from '../packages/core/src/domains/study/study-session.js';
import { silentLogger } from '../packages/core/src/logging/logger.js';
import { mulberry32 } from '../scripts/fixtures/make-llama-model.js';
import { median, ms, percentile, printTable } from './stats.js';

const CARDS = Number(process.env.BENCH_CARDS ?? 50_000);
const ROWS_PER_CARD = 10;
const STEPS = Number(process.env.BENCH_STEPS ?? 300);
const DAY = 86_400_000;

const root = mkdtempSync(join(tmpdir(), 'lm-bench-study-'));
try {
  const storage = openDatabase({
    dataDir: join(root, 'data'),
    migrationsDir: defaultMigrationsDir(),
    backupsDir: join(root, 'backups'),
    logger: silentLogger(),
  });
  const { sqlite } = storage;
  const now = Date.now();
  const random = mulberry32(7);
  const deckId = randomUUID();

  // The collection, written straight into the tables: reviewed cards whose due dates spread over
  // the past week and the next three months, each with ten answers a month apart, the last one
  // before today (so today's answers are only the session's, as in a real collection).
  const fill = sqlite.transaction(() => {
    sqlite
      .prepare(
        "INSERT INTO study_decks (id, class_id, name, options, created_at, updated_at) VALUES (?, NULL, 'Big deck', ?, ?, ?)",
      )
      // No daily review limit, so every step has a review to show.
      .run(
        deckId,
        JSON.stringify({ reviewsPerDay: 1_000_000 }),
        new Date(now).toISOString(),
        new Date(now).toISOString(),
      );
    const note = sqlite.prepare(
      "INSERT INTO study_notes (id, kind, content, tags, duplicate_key, created_at, updated_at) VALUES (?, 'basic', ?, '[]', ?, ?, ?)",
    );
    const card = sqlite.prepare(
      `INSERT INTO study_cards (id, note_id, deck_id, ordinal, state, due, stability, difficulty, reps, last_review_at, scheduled_days, created_at)
       VALUES (?, ?, ?, 0, 'review', ?, ?, 5, ?, ?, ?, ?)`,
    );
    const log = sqlite.prepare(
      `INSERT INTO study_review_log (id, card_id, kind, at, rating, duration_ms, state_before, scheduled_days, due)
       VALUES (?, ?, 'answer', ?, ?, 4000, ?, ?, ?)`,
    );
    for (let i = 0; i < CARDS; i++) {
      const noteId = randomUUID();
      const cardId = randomUUID();
      const front = `Question ${i}: what is ${Math.floor(random() * 1e6)}?`;
      note.run(
        noteId,
        JSON.stringify({ kind: 'basic', front, back: `Answer ${i}` }),
        front.toLowerCase(),
        now,
        now,
      );
      const due = now + Math.floor((random() * 97 - 7) * DAY);
      const interval = Math.max(20, Math.ceil((due - now) / DAY) + 1);
      const lastReview = due - interval * DAY;
      card.run(cardId, noteId, deckId, due, interval, ROWS_PER_CARD, lastReview, interval, now - 400 * DAY);
      for (let r = 0; r < ROWS_PER_CARD; r++) {
        const at = lastReview - (ROWS_PER_CARD - 1 - r) * 30 * DAY;
        log.run(
          randomUUID(),
          cardId,
          at,
          r === 3 ? 1 : 3,
          r === 0 ? 'new' : 'review',
          r === 0 ? 0 : interval,
          at + interval * DAY,
        );
      }
    }
  });
  const fillStarted = performance.now();
  fill();
  console.log(`Filled in ${ms(performance.now() - fillStarted)}`);
  // As after the app's own checkpoints: the bulk load is in the database file, not the WAL.
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');

  const store = new Store(storage.sqlite, storage.db);
  const repo = new StudyRepository(store);
  const session = new StudySession(repo);
  const scope = { deckId };

  const floorPick = sqlite.prepare(
    "SELECT * FROM study_cards WHERE deck_id = ? AND state = 'review' AND due <= ? ORDER BY due LIMIT 1",
  );
  const floorNote = sqlite.prepare('SELECT * FROM study_notes WHERE id = ?');
  const floorLog = sqlite.prepare(
    "INSERT INTO study_review_log (id, card_id, kind, at, rating, duration_ms, state_before, scheduled_days, due) VALUES (?, ?, 'answer', ?, 3, 1000, 'review', 30, ?)",
  );
  const floorCard = sqlite.prepare('UPDATE study_cards SET due = ?, last_review_at = ? WHERE id = ?');

  const times = {
    next: [] as number[],
    answer: [] as number[],
    floorNext: [] as number[],
    floorAnswer: [] as number[],
  };
  for (let step = 0; step < STEPS; step++) {
    // Alternate, so both see the same database and the same load on the machine.
    let started = performance.now();
    const { card } = session.next(scope, Date.now());
    times.next.push(performance.now() - started);
    if (!card) throw new Error('The deck ran out of due cards');
    started = performance.now();
    session.answer(card.id, 3, 1000, Date.now());
    times.answer.push(performance.now() - started);

    started = performance.now();
    const row = floorPick.get(deckId, Date.now()) as { id: string; note_id: string };
    floorNote.get(row.note_id);
    times.floorNext.push(performance.now() - started);
    started = performance.now();
    sqlite.transaction(() => {
      floorLog.run(randomUUID(), row.id, Date.now(), Date.now() + 30 * DAY);
      floorCard.run(Date.now() + 30 * DAY, Date.now(), row.id);
    })();
    times.floorAnswer.push(performance.now() - started);
  }

  const line = (what: string, ours: number[], floor: number[]) => ({
    step: what,
    'median (ours)': ms(median(ours)),
    'p95 (ours)': ms(percentile(ours, 95)),
    'median (SQL floor)': ms(median(floor)),
    'p95 (SQL floor)': ms(percentile(floor, 95)),
    'p95 ratio': `${(percentile(ours, 95) / percentile(floor, 95)).toFixed(1)}x`,
  });
  printTable(
    `Review session on ${CARDS.toLocaleString('en')} cards, ${(CARDS * ROWS_PER_CARD).toLocaleString('en')} log rows (${STEPS} steps)`,
    [line('next card', times.next, times.floorNext), line('answer', times.answer, times.floorAnswer)],
  );
  storage.sqlite.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
