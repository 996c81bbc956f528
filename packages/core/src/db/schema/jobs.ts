import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { JobStatus } from '../../contract/index.js';

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    status: text('status').$type<JobStatus>().notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    result: text('result', { mode: 'json' }),
    progress: real('progress'),
    message: text('message'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    error: text('error'),
    /** Epoch ms before which a queued job must not start (retry back-off). */
    runAfter: integer('run_after').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    index('jobs_status_run_after_idx').on(t.status, t.runAfter),
    index('jobs_created_idx').on(t.createdAt),
  ],
);
