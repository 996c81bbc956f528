/**
 * An Anki card's review history (`revlog`) and current schedule, as rows of our review log, so a
 * card keeps its FSRS memory and its due date. The rules follow how Anki's own FSRS reads its
 * revlog: cramming in filtered decks and "set due date" entries do not count, a manual entry with
 * no ease is a reset. A final schedule row carries the state Anki had (its FSRS stability and
 * difficulty when it used FSRS, else derived from the answers or from SM-2's ease and interval).
 */
import { FSRSBinding } from '@open-spaced-repetition/binding';
import type { ImportedLogRow } from '../study-import.js';
import type { CardState, Rating } from '../scheduling/review-log.js';
import { DAY_MS } from '../scheduling/study-day.js';

export interface AnkiRevlogRow {
  id: number;
  ease: number;
  ivl: number;
  factor: number;
  time: number;
  type: number;
}

export interface AnkiCardRow {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  odue: number;
  odid: number;
  data: string;
}

const REVLOG_LEARNING = 0;
const REVLOG_RELEARNING = 2;
const REVLOG_FILTERED = 3;
const REVLOG_MANUAL = 4;
const CARD_STATES: Record<number, Exclude<CardState, 'new'> | undefined> = {
  1: 'learning',
  2: 'review',
  3: 'relearning',
};
/** Learning-queue due values are epoch seconds; anything smaller is a day number. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

let sm2Converter: FSRSBinding | null = null;

export interface CardHistory {
  log: ImportedLogRow[];
  /** Rows dated after `now`, left out. */
  futureRows: number;
}

/** `collectionCreatedAt`: Anki's `col.crt`, epoch seconds, from which due days count. */
export function ankiCardHistory(
  card: AnkiCardRow,
  revlog: readonly AnkiRevlogRow[],
  collectionCreatedAt: number,
  now: number,
): CardHistory {
  const log: ImportedLogRow[] = [];
  let futureRows = 0;
  let answeredSinceReset = false;
  let learnedFromNew = false;
  for (const entry of revlog) {
    if (entry.id > now) {
      futureRows += 1;
      continue;
    }
    if (entry.type === REVLOG_MANUAL && entry.ease === 0 && entry.factor === 0) {
      log.push({ kind: 'reset', at: entry.id });
      answeredSinceReset = false;
      learnedFromNew = false;
      continue;
    }
    if (entry.ease < 1 || entry.ease > 4 || entry.type > REVLOG_FILTERED) continue;
    const stateBefore: CardState =
      entry.type === REVLOG_LEARNING
        ? answeredSinceReset
          ? 'learning'
          : 'new'
        : entry.type === REVLOG_RELEARNING
          ? 'relearning'
          : 'review';
    if (stateBefore === 'new') learnedFromNew = true;
    answeredSinceReset = true;
    log.push({
      kind: 'answer',
      at: entry.id,
      rating: entry.ease as Rating,
      durationMs: Math.max(0, entry.time),
      stateBefore,
      scheduledDays: Math.max(0, entry.ivl),
      due: entry.id + (entry.ivl > 0 ? entry.ivl * DAY_MS : -entry.ivl * 1000),
    });
  }

  const state = CARD_STATES[card.type];
  const lastAt = log.at(-1)?.at;
  if (!state) {
    // New in Anki: if it was answered since its last reset, older Anki reset it without a log entry.
    if (answeredSinceReset) log.push({ kind: 'reset', at: lastAt! + 1 });
    return { log, futureRows };
  }
  const due = ankiDueTime(card, collectionCreatedAt);
  const memory = fsrsMemory(card.data) ?? (learnedFromNew ? null : sm2Memory(card));
  log.push({
    kind: 'schedule',
    // Just after the last answer, so recall keeps decaying from it.
    at: lastAt !== undefined ? lastAt + 1 : Math.min(now, due - Math.max(0, card.ivl) * DAY_MS),
    state,
    due,
    stability: memory?.stability ?? null,
    difficulty: memory?.difficulty ?? null,
  });
  return { log, futureRows };
}

function ankiDueTime(card: AnkiCardRow, collectionCreatedAt: number): number {
  // In a filtered deck the card's own due date waits in `odue`.
  const due = card.odid !== 0 && card.odue !== 0 ? card.odue : card.due;
  return due >= EPOCH_SECONDS_FLOOR ? due * 1000 : (collectionCreatedAt + due * 86_400) * 1000;
}

/** Anki's FSRS keeps `{"s": stability, "d": difficulty, ...}` in `cards.data`. */
function fsrsMemory(data: string): { stability: number; difficulty: number } | null {
  if (!data.includes('"s"')) return null;
  try {
    const { s, d } = JSON.parse(data) as { s?: unknown; d?: unknown };
    if (typeof s === 'number' && typeof d === 'number' && s > 0 && d >= 1 && d <= 10) {
      return { stability: s, difficulty: d };
    }
  } catch {
    // not JSON: no FSRS memory
  }
  return null;
}

/** FSRS memory estimated from an SM-2 card's ease and interval (fsrs-rs's own conversion). */
function sm2Memory(card: AnkiCardRow): { stability: number; difficulty: number } | null {
  if (card.ivl < 1) return null;
  sm2Converter ??= new FSRSBinding();
  const ease = card.factor > 0 ? card.factor / 1000 : 2.5;
  const state = sm2Converter.memoryStateFromSM2(ease, card.ivl, 0.9);
  return { stability: state.stability, difficulty: state.difficulty };
}
