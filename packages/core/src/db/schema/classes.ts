import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { ClassMeeting } from '../../contract/index.js';

export const classes = sqliteTable(
  'classes',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    code: text('code').notNull().default(''),
    term: text('term').notNull().default(''),
    color: text('color').notNull(),
    instructor: text('instructor').notNull().default(''),
    schedule: text('schedule', { mode: 'json' }).$type<ClassMeeting[]>().notNull().default([]),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    sortOrder: integer('sort_order').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('classes_sort_idx').on(t.archived, t.sortOrder)],
);

export const classExams = sqliteTable(
  'class_exams',
  {
    id: text('id').primaryKey(),
    classId: text('class_id')
      .notNull()
      .references(() => classes.id),
    title: text('title').notNull(),
    /** ISO date (YYYY-MM-DD) in the student's own calendar. */
    date: text('date').notNull(),
    time: text('time'),
  },
  (t) => [index('class_exams_class_idx').on(t.classId), index('class_exams_date_idx').on(t.date)],
);
