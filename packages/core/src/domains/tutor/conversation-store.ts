import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { AppError, type Conversation, type TutorMessage } from '../../contract/index.js';
import type { AppDatabase } from '../../db/open-database.js';
import { classes, conversations, messages } from '../../db/schema/index.js';

type MessageRow = typeof messages.$inferSelect;
type MessagePatch = Partial<
  Pick<MessageRow, 'text' | 'status' | 'grounding' | 'sources' | 'answeredBy' | 'error'>
>;

export const NEW_CONVERSATION_TITLE = 'New conversation';
const TITLE_CHARS = 60;

const conversationNotFound = () =>
  new AppError('NOT_FOUND', 'That conversation no longer exists. It may have been deleted.');
const messageNotFound = () => new AppError('NOT_FOUND', 'That message no longer exists.');

/** Conversations and their messages in SQLite: what the student asked and what the tutor answered. */
export class ConversationStore {
  constructor(private readonly db: AppDatabase) {}

  list(classId: string | null | undefined): Conversation[] {
    const where =
      classId === undefined
        ? undefined
        : classId === null
          ? isNull(conversations.classId)
          : eq(conversations.classId, classId);
    return this.db
      .select({ ...conversationColumns, messageCount: messageCount })
      .from(conversations)
      .where(where)
      .orderBy(desc(conversations.updatedAt), desc(conversations.createdAt))
      .all();
  }

  get(id: string): Conversation {
    const row = this.db
      .select({ ...conversationColumns, messageCount: messageCount })
      .from(conversations)
      .where(eq(conversations.id, id))
      .get();
    if (!row) throw conversationNotFound();
    return row;
  }

  create(classId: string | null, title = NEW_CONVERSATION_TITLE): Conversation {
    if (classId && !this.db.select({ id: classes.id }).from(classes).where(eq(classes.id, classId)).get())
      throw new AppError('NOT_FOUND', 'That class no longer exists. It may have been deleted.');
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.insert(conversations).values({ id, classId, title, createdAt: now, updatedAt: now }).run();
    return this.get(id);
  }

  rename(id: string, title: string): Conversation {
    const updated = this.db
      .update(conversations)
      .set({ title, updatedAt: new Date().toISOString() })
      .where(eq(conversations.id, id))
      .returning({ id: conversations.id })
      .get();
    if (!updated) throw conversationNotFound();
    return this.get(id);
  }

  delete(id: string): void {
    const deleted = this.db.delete(conversations).where(eq(conversations.id, id)).returning().get();
    if (!deleted) throw conversationNotFound();
  }

  messages(conversationId: string): TutorMessage[] {
    return this.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.seq))
      .all()
      .map(toMessage);
  }

  message(id: string): TutorMessage {
    const row = this.db.select().from(messages).where(eq(messages.id, id)).get();
    if (!row) throw messageNotFound();
    return toMessage(row);
  }

  /**
   * Saves a question and the (pending) answer to it in one transaction. The first question
   * names a conversation that still has the default title.
   */
  addQuestion(conversationId: string, text: string): { question: TutorMessage; answer: TutorMessage } {
    const now = new Date().toISOString();
    const ids = { question: randomUUID(), answer: randomUUID() };
    this.db.transaction((tx) => {
      const conversation = tx.select().from(conversations).where(eq(conversations.id, conversationId)).get();
      if (!conversation) throw conversationNotFound();
      const { last } = tx
        .select({ last: sql<number>`coalesce(max(${messages.seq}), -1)` })
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .get()!;
      tx.insert(messages)
        .values([
          {
            id: ids.question,
            conversationId,
            seq: last + 1,
            role: 'user',
            text,
            status: 'complete',
            createdAt: now,
          },
          {
            id: ids.answer,
            conversationId,
            seq: last + 2,
            role: 'assistant',
            text: '',
            status: 'pending',
            createdAt: now,
          },
        ])
        .run();
      tx.update(conversations)
        .set({
          updatedAt: now,
          ...(conversation.title === NEW_CONVERSATION_TITLE ? { title: titleFrom(text) } : {}),
        })
        .where(eq(conversations.id, conversationId))
        .run();
    });
    return { question: this.message(ids.question), answer: this.message(ids.answer) };
  }

  /** Replaces an answer with a new pending one in the same place (regenerate). */
  replaceAnswer(answerId: string): TutorMessage {
    const id = randomUUID();
    this.db.transaction((tx) => {
      const old = tx.select().from(messages).where(eq(messages.id, answerId)).get();
      if (!old) throw messageNotFound();
      tx.delete(messages).where(eq(messages.id, answerId)).run();
      tx.insert(messages)
        .values({
          id,
          conversationId: old.conversationId,
          seq: old.seq,
          role: 'assistant',
          text: '',
          status: 'pending',
          createdAt: new Date().toISOString(),
        })
        .run();
      tx.update(conversations)
        .set({ updatedAt: new Date().toISOString() })
        .where(eq(conversations.id, old.conversationId))
        .run();
    });
    return this.message(id);
  }

  updateMessage(id: string, patch: MessagePatch): TutorMessage {
    const updated = this.db.update(messages).set(patch).where(eq(messages.id, id)).returning().get();
    if (!updated) throw messageNotFound();
    return toMessage(updated);
  }

  /** The conversation's messages before `messageId`, oldest first. */
  before(messageId: string): TutorMessage[] {
    const target = this.db.select().from(messages).where(eq(messages.id, messageId)).get();
    if (!target) throw messageNotFound();
    return this.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, target.conversationId), lt(messages.seq, target.seq)))
      .orderBy(asc(messages.seq))
      .all()
      .map(toMessage);
  }

  /** The conversation's last message. */
  last(conversationId: string): TutorMessage | undefined {
    const row = this.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(desc(messages.seq))
      .limit(1)
      .get();
    return row && toMessage(row);
  }

  /** Answers left pending or streaming by an engine that stopped (a crash, a closed app). */
  interruptedAnswers(): string[] {
    return this.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.role, 'assistant'), inArray(messages.status, ['pending', 'streaming'])))
      .all()
      .map((row) => row.id);
  }
}

const conversationColumns = {
  id: conversations.id,
  classId: conversations.classId,
  title: conversations.title,
  createdAt: conversations.createdAt,
  updatedAt: conversations.updatedAt,
};
// Plain SQL: inside a subquery, drizzle names columns without their table, so `id` would be the message's.
const messageCount = sql<number>`(SELECT count(*) FROM messages m WHERE m.conversation_id = conversations.id)`;

function toMessage(row: MessageRow): TutorMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    role: row.role,
    text: row.text,
    status: row.status,
    grounding: row.grounding ?? null,
    sources: row.sources,
    answeredBy: row.answeredBy ?? null,
    error: row.error,
    createdAt: row.createdAt,
  };
}

/** A conversation's title from its first question: its first line, cut at a word. */
function titleFrom(question: string): string {
  const line = question.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  if (line.length <= TITLE_CHARS) return line;
  const cut = line.slice(0, TITLE_CHARS);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : TITLE_CHARS).trimEnd()}…`;
}
