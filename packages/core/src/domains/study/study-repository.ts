import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { AppError, type Deck, type Note, type NoteContent, type StudyScope } from '../../contract/index.js';
import type { DomainStore, StoreWriter } from '../../db/store.js';
import { studyCards, studyDecks, studyMedia, studyNotes, studyReviewLog } from '../../db/schema/study.js';
import { cardOrdinals, duplicateKey } from './cards/note-content.js';
import { ClozeSyntaxError } from './cards/cloze.js';
import { FsrsScheduler, NEW_CARD_MEMORY, type CardMemory } from './scheduling/fsrs-scheduler.js';
import type { IndexedNote } from './card-search.js';
import type { DueCountsOn } from './scheduling/load-balancer.js';
import type { CardState, ReviewLogRow } from './scheduling/review-log.js';
import { withDefaults, type SchedulingOptions } from './scheduling/scheduling-options.js';
import {
  LEARN_AHEAD_MS,
  remainingToday,
  type DayProgress,
  type Remaining,
} from './scheduling/study-queue.js';
import { DAY_MS, DEFAULT_ROLLOVER_HOUR, startOfStudyDay, studyDayOf } from './scheduling/study-day.js';

type DeckRow = typeof studyDecks.$inferSelect;
export type CardRow = typeof studyCards.$inferSelect;
type NoteRow = typeof studyNotes.$inferSelect;
type LogRow = typeof studyReviewLog.$inferSelect;

export const noteNotFound = () =>
  new AppError('NOT_FOUND', 'That card no longer exists. It may have been deleted.');
export const deckNotFound = () =>
  new AppError('NOT_FOUND', 'That deck no longer exists. It may have been deleted.');

/** The cards a note makes, or a clear refusal (an open cloze, a cloze with no deletion, a note with nothing to ask). */
export function ordinalsOrRefuse(content: NoteContent): number[] {
  let ordinals: number[];
  try {
    ordinals = cardOrdinals(content);
  } catch (error) {
    if (error instanceof ClozeSyntaxError)
      throw new AppError('INVALID_INPUT', `${error.message} Close every {{c1::…}} with }}.`);
    throw error;
  }
  if (ordinals.length === 0)
    throw new AppError(
      'INVALID_INPUT',
      content.kind === 'cloze'
        ? 'This cloze has no deletion, so it makes no card. Mark what to hide with {{c1::…}}.'
        : 'This note makes no card. Add a mask to the image.',
    );
  if (duplicateKey(content) === '' && content.kind !== 'image-occlusion')
    throw new AppError(
      'INVALID_INPUT',
      'The first field is empty, so the card would ask nothing. Write a question.',
    );
  return ordinals;
}

export function memoryColumns(memory: CardMemory) {
  return {
    state: memory.state,
    due: memory.due,
    stability: memory.stability,
    difficulty: memory.difficulty,
    reps: memory.reps,
    lapses: memory.lapses,
    learningStep: memory.learningStep,
    lastReviewAt: memory.lastReviewAt,
    scheduledDays: memory.scheduledDays,
  };
}

export function memoryOf(card: CardRow): CardMemory {
  return {
    state: card.state as CardState,
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    reps: card.reps,
    lapses: card.lapses,
    learningStep: card.learningStep,
    lastReviewAt: card.lastReviewAt,
    scheduledDays: card.scheduledDays,
  };
}

function toLogRow(row: LogRow): ReviewLogRow {
  const base = { id: row.id, cardId: row.cardId, at: row.at };
  if (row.kind === 'reset') return { ...base, kind: 'reset' };
  if (row.kind === 'schedule')
    return {
      ...base,
      kind: 'schedule',
      state: row.state as 'learning' | 'review' | 'relearning',
      due: row.due!,
      stability: row.stability,
      difficulty: row.difficulty,
    };
  return {
    ...base,
    kind: 'answer',
    rating: row.rating as 1 | 2 | 3 | 4,
    durationMs: row.durationMs!,
    stateBefore: row.stateBefore as CardState,
    scheduledDays: row.scheduledDays!,
    due: row.due!,
  };
}

export function fromLogRow(row: ReviewLogRow): typeof studyReviewLog.$inferInsert {
  const base = { id: row.id, cardId: row.cardId, at: row.at, kind: row.kind };
  if (row.kind === 'reset') return base;
  if (row.kind === 'schedule')
    return { ...base, state: row.state, due: row.due, stability: row.stability, difficulty: row.difficulty };
  return {
    ...base,
    rating: row.rating,
    durationMs: row.durationMs,
    stateBefore: row.stateBefore,
    scheduledDays: row.scheduledDays,
    due: row.due,
  };
}

interface NoteCardCounts {
  cards: number;
  suspended: number;
  buried: number;
}

/** A note as the contract gives it, with the deck of its cards. */
function toNote(row: NoteRow, deckId: string, counts: NoteCardCounts): Note {
  return {
    id: row.id,
    deckId,
    content: row.content as NoteContent,
    tags: row.tags,
    cards: counts.cards,
    suspended: counts.suspended ?? 0,
    buried: counts.buried ?? 0,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** What counts as "due" for the cards of one scope at one moment. */
function availableAt(now: number) {
  const today = studyDayOf(now);
  return and(
    eq(studyCards.suspended, false),
    sql`(${studyCards.buriedUntilDay} IS NULL OR ${studyCards.buriedUntilDay} <= ${today})`,
  )!;
}

/**
 * The study domain's tables: decks, notes, cards (with the scheduling columns their review log
 * gives them), the review log and media names. Reads go through `store.read`; every write is in a
 * transaction, so the change feed sees it.
 */
export class StudyRepository {
  private readonly reviewsDueBetween;

  constructor(private readonly store: DomainStore) {
    this.reviewsDueBetween = store.read
      .select({ count: sql<number>`count(*)` })
      .from(studyCards)
      .where(
        and(
          eq(studyCards.deckId, sql.placeholder('deckId')),
          eq(studyCards.state, 'review'),
          gte(studyCards.due, sql.placeholder('from')),
          lt(studyCards.due, sql.placeholder('until')),
        ),
      )
      .prepare();
  }

  transaction<T>(work: (tx: StoreWriter) => T): T {
    return this.store.transaction(work);
  }

  decks(scope: StudyScope): DeckRow[] {
    return this.store.read
      .select()
      .from(studyDecks)
      .where(scopeFilter(scope))
      .orderBy(asc(studyDecks.name))
      .all();
  }

  deck(id: string): DeckRow {
    const row = this.store.read.select().from(studyDecks).where(eq(studyDecks.id, id)).get();
    if (!row) throw deckNotFound();
    return row;
  }

  optionsOf(deck: DeckRow): SchedulingOptions {
    return withDefaults(deck.options as Partial<SchedulingOptions>);
  }

  schedulerOf(deck: DeckRow): FsrsScheduler {
    return new FsrsScheduler(this.optionsOf(deck));
  }

  /** The class's own deck (named after it), made on first use; `className` names it. */
  deckForClass(tx: StoreWriter, classId: string | null, className: string): string {
    const existing = tx
      .select({ id: studyDecks.id })
      .from(studyDecks)
      .where(
        and(
          classId === null ? isNull(studyDecks.classId) : eq(studyDecks.classId, classId),
          eq(studyDecks.name, className),
        ),
      )
      .get();
    return existing?.id ?? this.createDeck(tx, { classId, name: className, description: '', options: {} });
  }

  createDeck(
    tx: StoreWriter,
    deck: { classId: string | null; name: string; description: string; options: Partial<SchedulingOptions> },
  ): string {
    const id = randomUUID();
    const now = new Date().toISOString();
    tx.insert(studyDecks, {
      id,
      ...deck,
      options: deck.options as Record<string, unknown>,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  /** Cards due now per deck, within each deck's limits for today. */
  dueCounts(deck: DeckRow, now: number): Remaining & { learningSoon: number } {
    const dayStart = startOfStudyDay(studyDayOf(now));
    const dayEnd = startOfStudyDay(studyDayOf(now) + 1);
    // One count per kind, each a range of the covering queue index, so no card row and none of
    // the cards due later are read.
    const count = (...kind: SQL[]) =>
      this.store.read
        .select({ n: sql<number>`count(*)` })
        .from(studyCards)
        .where(and(eq(studyCards.deckId, deck.id), ...kind, availableAt(now)))
        .get()!.n;
    const learning = inArray(studyCards.state, ['learning', 'relearning']);
    const due = {
      learningDue: count(learning, lte(studyCards.due, now)),
      learningSoon: count(learning, gt(studyCards.due, now), lte(studyCards.due, now + LEARN_AHEAD_MS)),
      reviewsDue: count(eq(studyCards.state, 'review'), lt(studyCards.due, dayEnd)),
      newCards: count(eq(studyCards.state, 'new')),
    };
    const done = this.progressToday(deck.id, dayStart);
    const remaining = remainingToday(this.optionsOf(deck), due, done);
    return { ...remaining, learningSoon: due.learningSoon };
  }

  /** New cards started and reviews done in the deck since `dayStart`, from the review log. */
  private progressToday(deckId: string, dayStart: number): DayProgress {
    const row = this.store.read
      .select({
        newStudied: sql<number>`sum(${studyReviewLog.stateBefore} = 'new')`,
        reviewsDone: sql<number>`sum(${studyReviewLog.stateBefore} = 'review')`,
      })
      .from(studyReviewLog)
      .where(answersSince([deckId], dayStart))
      .get()!;
    return { newStudied: row.newStudied ?? 0, reviewsDone: row.reviewsDone ?? 0 };
  }

  cardCount(deckId: string): number {
    return this.store.read
      .select({ n: sql<number>`count(*)` })
      .from(studyCards)
      .where(eq(studyCards.deckId, deckId))
      .get()!.n;
  }

  toDeck(deck: DeckRow, now: number): Deck {
    const { learning, review, new: fresh } = this.dueCounts(deck, now);
    return {
      id: deck.id,
      classId: deck.classId,
      name: deck.name,
      description: deck.description,
      cards: this.cardCount(deck.id),
      due: { learning, review, new: fresh },
      examTargetRecall: deck.examTargetRecall,
    };
  }

  /** The first available card of `kind` in the deck: learning and reviews by due time, new cards in the order they were made. */
  firstCard(
    deckId: string,
    kind: 'learning' | 'review' | 'new',
    now: number,
    until: number,
  ): CardRow | undefined {
    const inDeck = and(eq(studyCards.deckId, deckId), availableAt(now));
    const query = this.store.read.select().from(studyCards);
    if (kind === 'new')
      return query
        .where(and(inDeck, eq(studyCards.state, 'new')))
        .orderBy(asc(studyCards.createdAt), asc(studyCards.noteId), asc(studyCards.ordinal))
        .limit(1)
        .get();
    const states = kind === 'review' ? ['review'] : ['learning', 'relearning'];
    return query
      .where(and(inDeck, inArray(studyCards.state, states), sql`${studyCards.due} <= ${until}`))
      .orderBy(asc(studyCards.due), asc(studyCards.id))
      .limit(1)
      .get();
  }

  /** Reviews shown today since the last new card, across the decks (spreads new cards among reviews). */
  reviewsSinceNew(deckIds: string[], dayStart: number): number {
    if (deckIds.length === 0) return 0;
    const rows = this.store.read
      .select({ stateBefore: studyReviewLog.stateBefore })
      .from(studyReviewLog)
      .where(answersSince(deckIds, dayStart))
      .orderBy(desc(studyReviewLog.at))
      .all();
    const lastNew = rows.findIndex((row) => row.stateBefore === 'new');
    return (lastNew === -1 ? rows : rows.slice(0, lastNew)).filter((row) => row.stateBefore === 'review')
      .length;
  }

  card(id: string): CardRow {
    const row = this.store.read.select().from(studyCards).where(eq(studyCards.id, id)).get();
    if (!row) throw noteNotFound();
    return row;
  }

  noteRow(id: string): NoteRow {
    const row = this.store.read.select().from(studyNotes).where(eq(studyNotes.id, id)).get();
    if (!row) throw noteNotFound();
    return row;
  }

  log(cardId: string): ReviewLogRow[] {
    return this.store.read
      .select()
      .from(studyReviewLog)
      .where(eq(studyReviewLog.cardId, cardId))
      .all()
      .map(toLogRow);
  }

  /**
   * How many reviews fall due on each study day from `firstDay` to `lastDay`, for the load
   * balancer, which asks only about the days around an interval (counting every future review
   * would read the whole deck). Days are cut with today's offset from UTC (a daylight-saving
   * change moves a count by an hour, not a day's load); reviews due before `from` are not counted.
   */
  reviewLoad(deckId: string, from: number): DueCountsOn {
    const shift = -new Date(from).getTimezoneOffset() * 60_000 - DEFAULT_ROLLOVER_HOUR * 3_600_000;
    return (firstDay, lastDay) => {
      const counts = new Map<number, number>();
      // A count per day, not one GROUP BY over the range: each is a walk along the covering
      // index with nothing sorted, several times faster on a deck with hundreds of reviews a day.
      for (let day = firstDay; day <= lastDay; day++) {
        const { count } = this.reviewsDueBetween.get({
          deckId,
          from: Math.max(from, day * DAY_MS - shift),
          until: (day + 1) * DAY_MS - shift,
        })!;
        counts.set(day, count);
      }
      return counts;
    };
  }

  /** The most recent answer in the decks since `since`. */
  lastAnswer(deckIds: string[], since: number): { id: string; cardId: string } | undefined {
    if (deckIds.length === 0) return undefined;
    return this.store.read
      .select({ id: studyReviewLog.id, cardId: studyReviewLog.cardId })
      .from(studyReviewLog)
      .where(answersSince(deckIds, since))
      .orderBy(desc(studyReviewLog.at), desc(studyReviewLog.id))
      .limit(1)
      .get();
  }

  notes(deckId: string): Note[] {
    const rows = this.store.read
      .select({ note: studyNotes, ...cardCounts(Date.now()) })
      .from(studyCards)
      .innerJoin(studyNotes, eq(studyNotes.id, studyCards.noteId))
      .where(eq(studyCards.deckId, deckId))
      .groupBy(studyNotes.id)
      .orderBy(asc(studyNotes.createdAt), asc(studyNotes.id))
      .all();
    return rows.map(({ note, ...counts }) => toNote(note, deckId, counts));
  }

  note(id: string): Note {
    const row = this.noteRow(id);
    const counts = this.store.read
      .select({ deckId: sql<string>`min(${studyCards.deckId})`, ...cardCounts(Date.now()) })
      .from(studyCards)
      .where(eq(studyCards.noteId, id))
      .get()!;
    return toNote(row, counts.deckId ?? '', counts);
  }

  /**
   * The cards named, and every card of the notes named; NOT_FOUND when any of them is gone, so a
   * bulk action applies to all it was asked about or to none.
   */
  cardsOf(target: { cardIds: readonly string[]; noteIds: readonly string[] }): CardRow[] {
    const found = new Map<string, CardRow>();
    const cardIds = [...new Set(target.cardIds)];
    const noteIds = [...new Set(target.noteIds)];
    for (const ids of chunked(cardIds)) {
      const rows = this.store.read.select().from(studyCards).where(inArray(studyCards.id, ids)).all();
      for (const row of rows) found.set(row.id, row);
    }
    if (found.size < cardIds.length) throw noteNotFound();
    for (const ids of chunked(noteIds)) {
      const rows = this.store.read.select().from(studyCards).where(inArray(studyCards.noteId, ids)).all();
      if (new Set(rows.map((row) => row.noteId)).size < ids.length) throw noteNotFound();
      for (const row of rows) found.set(row.id, row);
    }
    return [...found.values()];
  }

  setSuspended(tx: StoreWriter, cardIds: readonly string[], suspended: boolean): void {
    for (const ids of chunked(cardIds)) tx.update(studyCards, { suspended }, inArray(studyCards.id, ids));
  }

  /** Hidden until `untilDay` (a study day) begins. */
  bury(tx: StoreWriter, cardIds: readonly string[], untilDay: number): void {
    for (const ids of chunked(cardIds))
      tx.update(studyCards, { buriedUntilDay: untilDay }, inArray(studyCards.id, ids));
  }

  /** Every card of the notes moves to the deck, history and all. */
  moveNotes(tx: StoreWriter, noteIds: readonly string[], deckId: string): void {
    for (const ids of chunked(noteIds)) tx.update(studyCards, { deckId }, inArray(studyCards.noteId, ids));
  }

  /** Another note whose first field reads the same, if any. */
  duplicateOf(content: NoteContent, except: string): string | null {
    const key = duplicateKey(content);
    if (key === '') return null;
    const row = this.store.read
      .select({ id: studyNotes.id })
      .from(studyNotes)
      .where(and(eq(studyNotes.duplicateKey, key), sql`${studyNotes.id} <> ${except}`))
      .limit(1)
      .get();
    return row?.id ?? null;
  }

  noteIdByGuid(guid: string): string | undefined {
    return this.store.read
      .select({ id: studyNotes.id })
      .from(studyNotes)
      .where(eq(studyNotes.guid, guid))
      .get()?.id;
  }

  /** Inserts a note and its cards (new, or with `memory` when the caller replayed a log). */
  insertNote(
    tx: StoreWriter,
    note: { deckId: string; content: NoteContent; tags: string[]; guid: string | null; createdAt: number },
    cards: { ordinal: number; deckId?: string; suspended?: boolean; memory?: CardMemory; id?: string }[],
  ): string {
    const id = randomUUID();
    tx.insert(studyNotes, {
      id,
      guid: note.guid,
      kind: note.content.kind,
      content: note.content as Record<string, unknown>,
      tags: note.tags,
      duplicateKey: duplicateKey(note.content),
      createdAt: note.createdAt,
      updatedAt: note.createdAt,
    });
    tx.insert(
      studyCards,
      cards.map((card) => ({
        id: card.id ?? randomUUID(),
        noteId: id,
        deckId: card.deckId ?? note.deckId,
        ordinal: card.ordinal,
        suspended: card.suspended ?? false,
        createdAt: note.createdAt,
        ...memoryColumns(card.memory ?? NEW_CARD_MEMORY),
      })),
    );
    return id;
  }

  /** New fields: cards the note still makes stay (with their history), new ones are added, the rest go. */
  updateNote(id: string, content: NoteContent, tags: string[], ordinals: number[]): string[] {
    return this.store.transaction((tx) => {
      const note = this.noteRow(id);
      if (note.kind !== content.kind)
        throw new AppError('INVALID_INPUT', 'A note keeps its type; make a new note to change it.');
      const now = Date.now();
      tx.update(
        studyNotes,
        {
          content: content as Record<string, unknown>,
          tags,
          duplicateKey: duplicateKey(content),
          updatedAt: now,
        },
        eq(studyNotes.id, id),
      );
      const cards = tx.select().from(studyCards).where(eq(studyCards.noteId, id)).all();
      const deckId = cards[0]!.deckId;
      const gone = cards.filter((card) => !ordinals.includes(card.ordinal)).map((card) => card.id);
      this.deleteCards(tx, gone);
      const have = new Set(cards.map((card) => card.ordinal));
      const added = ordinals.filter((ordinal) => !have.has(ordinal));
      tx.insert(
        studyCards,
        added.map((ordinal) => ({
          id: randomUUID(),
          noteId: id,
          deckId,
          ordinal,
          createdAt: now,
          ...memoryColumns(NEW_CARD_MEMORY),
        })),
      );
      return [deckId];
    });
  }

  /** Deletes the notes, their cards and their review log, all or none; the decks they were in. */
  deleteNotes(tx: StoreWriter, ids: readonly string[]): string[] {
    const cards = this.cardsOf({ cardIds: [], noteIds: ids });
    for (const id of new Set(ids)) this.noteRow(id);
    this.deleteCards(
      tx,
      cards.map((card) => card.id),
    );
    for (const chunk of chunked([...new Set(ids)])) tx.delete(studyNotes, inArray(studyNotes.id, chunk));
    return [...new Set(cards.map((card) => card.deckId))];
  }

  private deleteCards(tx: StoreWriter, ids: string[]): void {
    for (const chunk of chunked(ids)) {
      tx.delete(studyReviewLog, inArray(studyReviewLog.cardId, chunk));
      tx.delete(studyCards, inArray(studyCards.id, chunk));
    }
  }

  /** Appends rows to the log and sets the card's columns to what replay gives. */
  appendLog(tx: StoreWriter, rows: ReviewLogRow[]): void {
    if (rows.length > 0) tx.insert(studyReviewLog, rows.map(fromLogRow));
  }

  removeLogRow(tx: StoreWriter, id: string): void {
    tx.delete(studyReviewLog, eq(studyReviewLog.id, id));
  }

  setMemory(tx: StoreWriter, cardId: string, memory: CardMemory): void {
    tx.update(studyCards, memoryColumns(memory), eq(studyCards.id, cardId));
  }

  /** Sets some of the deck's scheduling options, keeping the others. */
  setOptions(id: string, patch: Partial<SchedulingOptions>): void {
    this.store.transaction((tx) => {
      const deck = this.deck(id);
      tx.update(
        studyDecks,
        { options: { ...deck.options, ...patch }, updatedAt: new Date().toISOString() },
        eq(studyDecks.id, id),
      );
    });
  }

  /** Answers given to the deck's cards, ever. */
  answerCount(deckId: string): number {
    return this.store.read
      .select({ n: sql<number>`count(*)` })
      .from(studyReviewLog)
      .innerJoin(studyCards, eq(studyCards.id, studyReviewLog.cardId))
      .where(and(eq(studyCards.deckId, deckId), eq(studyReviewLog.kind, 'answer')))
      .get()!.n;
  }

  setExamTarget(id: string, examTargetRecall: number | null): void {
    this.store.transaction((tx) => {
      const [updated] = tx.update(
        studyDecks,
        { examTargetRecall, updatedAt: new Date().toISOString() },
        eq(studyDecks.id, id),
      );
      if (!updated) throw deckNotFound();
    });
  }

  /** The memory of every card in the deck that is studied (not suspended). */
  memories(deckId: string): CardMemory[] {
    return this.store.read
      .select()
      .from(studyCards)
      .where(and(eq(studyCards.deckId, deckId), eq(studyCards.suspended, false)))
      .all()
      .map(memoryOf);
  }

  /** Answers to cards of the decks since `since`: when, the rating, the state before and the time taken. */
  answersInDecks(
    deckIds: readonly string[],
    since: number,
  ): { at: number; rating: number; stateBefore: string; durationMs: number }[] {
    if (deckIds.length === 0) return [];
    return this.store.read
      .select({
        at: studyReviewLog.at,
        rating: sql<number>`${studyReviewLog.rating}`,
        stateBefore: sql<string>`${studyReviewLog.stateBefore}`,
        durationMs: sql<number>`coalesce(${studyReviewLog.durationMs}, 0)`,
      })
      .from(studyReviewLog)
      .where(answersSince([...deckIds], since))
      .all();
  }

  /** When each card of the decks in learning or review (and not suspended) is due, up to `until`. */
  dueTimes(deckIds: readonly string[], until: number): number[] {
    if (deckIds.length === 0) return [];
    return this.store.read
      .select({ due: studyCards.due })
      .from(studyCards)
      .where(
        and(
          inArray(studyCards.deckId, [...deckIds]),
          inArray(studyCards.state, ['learning', 'review', 'relearning']),
          lt(studyCards.due, until),
          eq(studyCards.suspended, false),
        ),
      )
      .all()
      .map((row) => row.due);
  }

  /** Cards of the decks by state (suspended ones apart). */
  stateCounts(deckIds: readonly string[]): { state: string; suspended: boolean; count: number }[] {
    if (deckIds.length === 0) return [];
    return this.store.read
      .select({ state: studyCards.state, suspended: studyCards.suspended, count: sql<number>`count(*)` })
      .from(studyCards)
      .where(inArray(studyCards.deckId, [...deckIds]))
      .groupBy(studyCards.state, studyCards.suspended)
      .all();
  }

  /** The id of every note. */
  noteIds(): string[] {
    return this.store.read
      .select({ id: studyNotes.id })
      .from(studyNotes)
      .all()
      .map((row) => row.id);
  }

  /** These notes as search indexes them (a note's class is its first card's deck's). */
  notesForSearch(ids: readonly string[]): IndexedNote[] {
    if (ids.length === 0) return [];
    return this.store.read
      .select({
        id: studyNotes.id,
        content: studyNotes.content,
        tags: studyNotes.tags,
        createdAt: studyNotes.createdAt,
        // drizzle leaves columns unqualified here, so the correlated subquery names its own.
        classId: sql<string | null>`(SELECT d.class_id FROM study_cards c
          JOIN study_decks d ON d.id = c.deck_id
          WHERE c.note_id = study_notes.id ORDER BY c.ordinal LIMIT 1)`,
      })
      .from(studyNotes)
      .where(inArray(studyNotes.id, [...ids]))
      .all()
      .map((note) => ({ ...note, content: note.content as unknown as NoteContent }));
  }

  noteIdsInClass(classId: string): string[] {
    return this.store.read
      .select({ noteId: studyCards.noteId })
      .from(studyCards)
      .innerJoin(studyDecks, eq(studyDecks.id, studyCards.deckId))
      .where(eq(studyDecks.classId, classId))
      .groupBy(studyCards.noteId)
      .all()
      .map((row) => row.noteId);
  }

  /** Decks of a deleted class stay, in no class. */
  unfileClass(classId: string): void {
    this.store.transaction((tx) => {
      tx.update(
        studyDecks,
        { classId: null, updatedAt: new Date().toISOString() },
        eq(studyDecks.classId, classId),
      );
    });
  }

  mediaNamed(name: string): { sha256: string; bytes: number } | undefined {
    return this.store.read
      .select({ sha256: studyMedia.sha256, bytes: studyMedia.bytes })
      .from(studyMedia)
      .where(eq(studyMedia.name, name))
      .get();
  }

  allMedia(): (typeof studyMedia.$inferSelect)[] {
    return this.store.read.select().from(studyMedia).all();
  }

  addMedia(tx: StoreWriter, media: { name: string; sha256: string; bytes: number }[]): void {
    for (const file of media) {
      if (!this.mediaNamed(file.name)) tx.insert(studyMedia, file);
    }
  }

  /** Notes with every card in the deck, and the cards' logs, for an export. */
  deckContents(deckId: string): { notes: NoteRow[]; cards: CardRow[]; logs: ReviewLogRow[] } {
    const cards = this.store.read.select().from(studyCards).where(eq(studyCards.deckId, deckId)).all();
    const noteIds = [...new Set(cards.map((card) => card.noteId))];
    const notes = noteIds.length
      ? this.store.read.select().from(studyNotes).where(inArray(studyNotes.id, noteIds)).all()
      : [];
    const logs = this.store.read
      .select({ log: studyReviewLog })
      .from(studyReviewLog)
      .innerJoin(studyCards, eq(studyCards.id, studyReviewLog.cardId))
      .where(eq(studyCards.deckId, deckId))
      .all()
      .map(({ log }) => toLogRow(log));
    return { notes, cards, logs };
  }
}

/**
 * Answers in the decks since `since`: today's rows by the time index, then whether their card is
 * in the decks. EXISTS, not IN: with IN the planner walks every card of the decks and probes the
 * log per card, which reads the whole deck on each call.
 */
function answersSince(deckIds: string[], since: number): SQL {
  return and(
    eq(studyReviewLog.kind, 'answer'),
    gte(studyReviewLog.at, since),
    sql`EXISTS (SELECT 1 FROM ${studyCards} WHERE ${studyCards.id} = ${studyReviewLog.cardId} AND ${inArray(studyCards.deckId, deckIds)})`,
  )!;
}

/** SQLite takes a limited number of parameters per statement: long id lists go a slice at a time. */
function chunked<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** A note's cards, and how many of them are suspended or buried now. */
function cardCounts(now: number) {
  const today = studyDayOf(now);
  return {
    cards: sql<number>`count(*)`,
    suspended: sql<number>`coalesce(sum(${studyCards.suspended}), 0)`,
    buried: sql<number>`coalesce(sum(${studyCards.buriedUntilDay} > ${today}), 0)`,
  };
}

function scopeFilter(scope: StudyScope): SQL | undefined {
  if (scope.deckId) return eq(studyDecks.id, scope.deckId);
  if (scope.classId === undefined) return undefined;
  return scope.classId === null ? isNull(studyDecks.classId) : eq(studyDecks.classId, scope.classId);
}
