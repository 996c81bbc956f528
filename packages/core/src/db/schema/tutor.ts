import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { AnsweredBy, Grounding, MessageStatus, TutorSource } from '../../contract/tutor.js';
import { classes } from './classes.js';

/** A conversation with the tutor, about one class or (classId null) all of them. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    // Like its materials, a deleted class's conversations stay, under all classes (the tutor clears it).
    classId: text('class_id').references(() => classes.id),
    title: text('title').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('conversations_class_idx').on(t.classId), index('conversations_updated_idx').on(t.updatedAt)],
);

/** One question or answer; an answer keeps the numbered sources it was given, for its citations. */
export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** Order within the conversation (creation times can tie). */
    seq: integer('seq').notNull(),
    role: text('role').$type<'user' | 'assistant'>().notNull(),
    text: text('text').notNull(),
    status: text('status').$type<MessageStatus>().notNull(),
    grounding: text('grounding').$type<Grounding>(),
    sources: text('sources', { mode: 'json' }).$type<TutorSource[]>().notNull().default([]),
    answeredBy: text('answered_by', { mode: 'json' }).$type<AnsweredBy>(),
    error: text('error'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.seq)],
);
