import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { classes } from './classes.js';

/**
 * Flashcards. Decks hold cards; a note holds the fields and makes one card or more; every answer
 * is a row of the append-only review log, and a card's scheduling columns are derived from its
 * log (replayed after each change), kept here so the due queue is one indexed query.
 */
export const studyDecks = sqliteTable(
  'study_decks',
  {
    id: text('id').primaryKey(),
    /** The class the deck belongs to; null for decks in no class. */
    classId: text('class_id').references(() => classes.id),
    /** Names from the top deck down, joined with "::" as in Anki. */
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Only the scheduling options set for this deck (`Partial<SchedulingOptions>`); the rest are defaults. */
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    /** "Ready for the exam": recall wanted on the class's next exam day; null when not targeting. */
    examTargetRecall: real('exam_target_recall'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('study_decks_class_idx').on(t.classId)],
);

export const studyNotes = sqliteTable(
  'study_notes',
  {
    id: text('id').primaryKey(),
    /** Anki's note guid, kept from an import so Anki recognises the note when exported back. */
    guid: text('guid'),
    kind: text('kind').notNull(),
    /** The note's fields (`NoteContent`), Markdown. */
    content: text('content', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** The first field as plain lower-case text: notes that share it are duplicates. */
    duplicateKey: text('duplicate_key').notNull(),
    /** Epoch milliseconds. */
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('study_notes_duplicate_idx').on(t.duplicateKey)],
);

export const studyCards = sqliteTable(
  'study_cards',
  {
    id: text('id').primaryKey(),
    noteId: text('note_id')
      .notNull()
      .references(() => studyNotes.id),
    deckId: text('deck_id')
      .notNull()
      .references(() => studyDecks.id),
    /** Which card of the note (see `cardOrdinals`). */
    ordinal: integer('ordinal').notNull(),
    suspended: integer('suspended', { mode: 'boolean' }).notNull().default(false),
    /** Hidden until this study day begins (bury until tomorrow); null when not buried. */
    buriedUntilDay: integer('buried_until_day'),
    // Derived from the review log by replay:
    state: text('state').notNull().default('new'),
    /** Epoch milliseconds; 0 for a new card. */
    due: integer('due').notNull().default(0),
    stability: real('stability').notNull().default(0),
    difficulty: real('difficulty').notNull().default(0),
    reps: integer('reps').notNull().default(0),
    lapses: integer('lapses').notNull().default(0),
    learningStep: integer('learning_step').notNull().default(0),
    lastReviewAt: integer('last_review_at'),
    scheduledDays: integer('scheduled_days').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('study_cards_note_ordinal_idx').on(t.noteId, t.ordinal),
    // Covers the due counts and the next card: whether a card is suspended or buried is read
    // from the index, not from each card's row.
    index('study_cards_queue_idx').on(t.deckId, t.state, t.due, t.suspended, t.buriedUntilDay),
  ],
);

/** One row per answer, reset or carried-over schedule (`ReviewLogRow`); never updated. */
export const studyReviewLog = sqliteTable(
  'study_review_log',
  {
    id: text('id').primaryKey(),
    cardId: text('card_id')
      .notNull()
      .references(() => studyCards.id),
    kind: text('kind').notNull(),
    /** Epoch milliseconds. */
    at: integer('at').notNull(),
    rating: integer('rating'),
    durationMs: integer('duration_ms'),
    stateBefore: text('state_before'),
    scheduledDays: integer('scheduled_days'),
    due: integer('due'),
    /** For a carried-over schedule: the state, stability and difficulty it set. */
    state: text('state'),
    stability: real('stability'),
    difficulty: real('difficulty'),
  },
  (t) => [
    index('study_review_log_card_idx').on(t.cardId, t.at),
    // Today's answers (daily limits, new cards among reviews, undo) without reading older rows.
    index('study_review_log_answers_idx').on(t.kind, t.at),
  ],
);

/** Media files cards show, by the name fields use; the bytes are in the blob store. */
export const studyMedia = sqliteTable('study_media', {
  name: text('name').primaryKey(),
  sha256: text('sha256').notNull(),
  bytes: integer('bytes').notNull(),
});
