import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type {
  CitedSource,
  GenerateFrom,
  GeneratedContent,
  GeneratedKind,
  GradedAnswer,
  ItemStatus,
  Staleness,
} from '../../contract/generate.js';
import type { AnsweredBy } from '../../contract/tutor.js';
import { classes } from './classes.js';

/** A generated quiz or set of proposed cards, made from one material or lecture. */
export const generatedSets = sqliteTable(
  'generated_sets',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<GeneratedKind>().notNull(),
    // A deleted class's quizzes stay, under no class (the generate domain clears it).
    classId: text('class_id').references(() => classes.id),
    title: text('title').notNull(),
    source: text('source', { mode: 'json' }).$type<GenerateFrom>().notNull(),
    madeBy: text('made_by', { mode: 'json' }).$type<AnsweredBy>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('generated_sets_class_idx').on(t.classId, t.createdAt)],
);

/** One question or card with the passages it cites (each with a hash of its text then). */
export const generatedItems = sqliteTable(
  'generated_items',
  {
    id: text('id').primaryKey(),
    setId: text('set_id')
      .notNull()
      .references(() => generatedSets.id),
    ordinal: integer('ordinal').notNull(),
    content: text('content', { mode: 'json' }).$type<GeneratedContent>().notNull(),
    sources: text('sources', { mode: 'json' }).$type<CitedSource[]>().notNull(),
    stale: text('stale').$type<Staleness>(),
    status: text('status').$type<ItemStatus>().notNull(),
    /** The study note an accepted card became (the study domain owns it; no foreign key across domains). */
    noteId: text('note_id'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('generated_items_set_idx').on(t.setId, t.ordinal)],
);

/** One taking of a quiz, graded: the score history of a class. */
export const quizAttempts = sqliteTable(
  'quiz_attempts',
  {
    id: text('id').primaryKey(),
    setId: text('set_id')
      .notNull()
      .references(() => generatedSets.id),
    classId: text('class_id').references(() => classes.id),
    answers: text('answers', { mode: 'json' }).$type<GradedAnswer[]>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('quiz_attempts_class_idx').on(t.classId, t.createdAt)],
);
