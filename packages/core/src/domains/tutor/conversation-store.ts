import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { AppError, type Conversation, type TutorMessage } from '../../contract/index.js';
import { conversations, messages } from '../../db/schema/tutor.js';
import type { DomainStore } from '../../db/store.js';

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
  constructor(
    private readonly store: DomainStore,
    private readonly classExists: (id: string) => boolean,
  ) {}

  list(classId: string | null | undefined): Conversation[] {
    const where =
      classId === undefined
        ? undefined
        : classId === null
          ? isNull(conversations.classId)
          : eq(conversations.classId, classId);
    return this.store.read
      .select({ ...conversationColumns, messageCount: messageCount })
      .from(conversations)
      .where(where)
      .orderBy(desc(conversations.updatedAt), desc(conversations.createdAt))
      .all();
  }

  get(id: string): Conversation {
    const row = this.store.read
      .select({ ...conversationColumns, messageCount: messageCount })
      .from(conversations)
      .where(eq(conversations.id, id))
      .get();
    if (!row) throw conversationNotFound();
    return row;
  }

  create(classId: string | null, title = NEW_CONVERSATION_TITLE): Conversation {
    if (classId && !this.classExists(classId))
      throw new AppError('NOT_FOUND', 'That class no longer exists. It may have been deleted.');
    const id = randomUUID();
    const now = new Date().toISOString();
    this.store.transaction((tx) =>
      tx.insert(conversations, { id, classId, title, createdAt: now, updatedAt: now }),
    );
    return this.get(id);
  }

  rename(id: string, title: string): Conversation {
    const [updated] = this.store.transaction((tx) =>
      tx.update(conversations, { title, updatedAt: new Date().toISOString() }, eq(conversations.id, id)),
    );
    if (!updated) throw conversationNotFound();
    return this.get(id);
  }

  /** Deletes a conversation with its messages. */
  delete(id: string): void {
    const [deleted] = this.store.transaction((tx) => {
      tx.delete(messages, eq(messages.conversationId, id));
      return tx.delete(conversations, eq(conversations.id, id));
    });
    if (!deleted) throw conversationNotFound();
  }

  /** A class is being deleted: its conversations stay, across all classes; returns their ids. */
  unfileClass(classId: string): string[] {
    return this.store
      .transaction((tx) => tx.update(conversations, { classId: null }, eq(conversations.classId, classId)))
      .map((row) => row.id);
  }

  messages(conversationId: string): TutorMessage[] {
    return this.store.read
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.seq))
      .all()
      .map(toMessage);
  }

  message(id: string): TutorMessage {
    const row = this.store.read.select().from(messages).where(eq(messages.id, id)).get();
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
    this.store.transaction((tx) => {
      const conversation = tx.select().from(conversations).where(eq(conversations.id, conversationId)).get();
      if (!conversation) throw conversationNotFound();
      const { last } = tx
        .select({ last: sql<number>`coalesce(max(${messages.seq}), -1)` })
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .get()!;
      tx.insert(messages, [
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
      ]);
      tx.update(
        conversations,
        {
          updatedAt: now,
          ...(conversation.title === NEW_CONVERSATION_TITLE ? { title: titleFrom(text) } : {}),
        },
        eq(conversations.id, conversationId),
      );
    });
    return { question: this.message(ids.question), answer: this.message(ids.answer) };
  }

  /** Replaces an answer with a new pending one in the same place (regenerate). */
  replaceAnswer(answerId: string): TutorMessage {
    const id = randomUUID();
    this.store.transaction((tx) => {
      const old = tx.select().from(messages).where(eq(messages.id, answerId)).get();
      if (!old) throw messageNotFound();
      tx.delete(messages, eq(messages.id, answerId));
      tx.insert(messages, {
        id,
        conversationId: old.conversationId,
        seq: old.seq,
        role: 'assistant',
        text: '',
        status: 'pending',
        createdAt: new Date().toISOString(),
      });
      tx.update(
        conversations,
        { updatedAt: new Date().toISOString() },
        eq(conversations.id, old.conversationId),
      );
    });
    return this.message(id);
  }

  updateMessage(id: string, patch: MessagePatch): TutorMessage {
    const [updated] = this.store.transaction((tx) => tx.update(messages, patch, eq(messages.id, id)));
    if (!updated) throw messageNotFound();
    return toMessage(updated);
  }

  /** The conversation's messages before `messageId`, oldest first. */
  before(messageId: string): TutorMessage[] {
    const target = this.store.read.select().from(messages).where(eq(messages.id, messageId)).get();
    if (!target) throw messageNotFound();
    return this.store.read
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, target.conversationId), lt(messages.seq, target.seq)))
      .orderBy(asc(messages.seq))
      .all()
      .map(toMessage);
  }

  /** The conversation's last message. */
  last(conversationId: string): TutorMessage | undefined {
    const row = this.store.read
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
    return this.store.read
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
