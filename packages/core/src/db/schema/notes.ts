import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { classes } from './classes.js';
import { lectures } from './lectures.js';

/** A note the student wrote: Markdown, in a class or none, perhaps typed beside a lecture. */
export const notes = sqliteTable(
  'notes',
  {
    id: text('id').primaryKey(),
    classId: text('class_id').references(() => classes.id),
    /** The lecture it was typed beside (its paragraphs carry `[12:34](#t=754)` stamps). */
    lectureId: text('lecture_id').references(() => lectures.id),
    title: text('title').notNull(),
    markdown: text('markdown').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('notes_class_idx').on(t.classId, t.updatedAt), index('notes_lecture_idx').on(t.lectureId)],
);
