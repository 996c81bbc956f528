import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import {
  AppError,
  type AnsweredBy,
  type CitedSource,
  type GenerateFrom,
  type GeneratedContent,
  type GeneratedItem,
  type GeneratedKind,
  type GeneratedSet,
  type GradedAnswer,
  type QuizAttempt,
} from '../../contract/index.js';
import { generatedItems, generatedSets, quizAttempts } from '../../db/schema/generate.js';
import type { DomainStore, StoreWriter } from '../../db/store.js';

type SetRow = typeof generatedSets.$inferSelect;
type ItemRow = typeof generatedItems.$inferSelect;
type ItemPatch = Partial<Pick<ItemRow, 'content' | 'sources' | 'stale' | 'status' | 'noteId'>>;

export interface NewSet {
  kind: GeneratedKind;
  classId: string | null;
  title: string;
  from: GenerateFrom;
  madeBy: AnsweredBy;
  items: { content: GeneratedContent; sources: CitedSource[] }[];
}

const setNotFound = () =>
  new AppError('NOT_FOUND', 'That quiz or card set no longer exists. It may have been deleted.');
const itemNotFound = () => new AppError('NOT_FOUND', 'That question or card no longer exists.');

/** Generated sets, their items (with cited sources) and quiz attempts, in SQLite. */
export class GeneratedStore {
  constructor(private readonly store: DomainStore) {}

  transaction<T>(work: (tx: StoreWriter) => T): T {
    return this.store.transaction(work);
  }

  /** Writes a whole set in one transaction: it is there complete, or not at all. */
  insertSet(set: NewSet): string {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.store.transaction((tx) => {
      tx.insert(generatedSets, {
        id,
        kind: set.kind,
        classId: set.classId,
        title: set.title,
        source: set.from,
        madeBy: set.madeBy,
        createdAt: now,
      });
      tx.insert(
        generatedItems,
        set.items.map((item, ordinal) => ({
          id: randomUUID(),
          setId: id,
          ordinal,
          content: item.content,
          sources: item.sources,
          stale: null,
          status: set.kind === 'quiz' ? ('ready' as const) : ('proposed' as const),
          noteId: null,
          updatedAt: now,
        })),
      );
    });
    return id;
  }

  sets(classId: string | null | undefined): GeneratedSet[] {
    const where =
      classId === undefined
        ? undefined
        : classId === null
          ? isNull(generatedSets.classId)
          : eq(generatedSets.classId, classId);
    const rows = this.store.read
      .select()
      .from(generatedSets)
      .where(where)
      .orderBy(desc(generatedSets.createdAt))
      .all();
    return rows.map((row) => this.toSet(row));
  }

  set(id: string): GeneratedSet {
    const row = this.store.read.select().from(generatedSets).where(eq(generatedSets.id, id)).get();
    if (!row) throw setNotFound();
    return this.toSet(row);
  }

  items(setId: string): GeneratedItem[] {
    return this.store.read
      .select()
      .from(generatedItems)
      .where(eq(generatedItems.setId, setId))
      .orderBy(asc(generatedItems.ordinal))
      .all()
      .map(toItem);
  }

  item(id: string): GeneratedItem {
    const row = this.store.read.select().from(generatedItems).where(eq(generatedItems.id, id)).get();
    if (!row) throw itemNotFound();
    return toItem(row);
  }

  updateItem(tx: StoreWriter, id: string, patch: ItemPatch): GeneratedItem {
    const [row] = tx.update(
      generatedItems,
      { ...patch, updatedAt: new Date().toISOString() },
      eq(generatedItems.id, id),
    );
    if (!row) throw itemNotFound();
    return toItem(row);
  }

  /** Every item citing this source (by kind and id), for the staleness check. */
  itemsCiting(ref: { kind: string; id: string }): GeneratedItem[] {
    return this.store.read
      .select()
      .from(generatedItems)
      .where(
        sql`exists (select 1 from json_each(${generatedItems.sources}) s
                    where json_extract(s.value, '$.ref.kind') = ${ref.kind}
                      and json_extract(s.value, '$.ref.id') = ${ref.id})`,
      )
      .all()
      .map(toItem);
  }

  deleteSet(id: string): void {
    this.set(id);
    this.store.transaction((tx) => {
      tx.delete(quizAttempts, eq(quizAttempts.setId, id));
      tx.delete(generatedItems, eq(generatedItems.setId, id));
      tx.delete(generatedSets, eq(generatedSets.id, id));
    });
  }

  /** A deleted class's sets and attempts move to no class; returns the sets moved. */
  unfileClass(classId: string): string[] {
    return this.store.transaction((tx) => {
      tx.update(quizAttempts, { classId: null }, eq(quizAttempts.classId, classId));
      return tx
        .update(generatedSets, { classId: null }, eq(generatedSets.classId, classId))
        .map((row) => row.id);
    });
  }

  insertAttempt(setId: string, classId: string | null, answers: GradedAnswer[]): QuizAttempt {
    const id = randomUUID();
    this.store.transaction((tx) =>
      tx.insert(quizAttempts, { id, setId, classId, answers, createdAt: new Date().toISOString() }),
    );
    return this.attempt(id);
  }

  updateAttempt(id: string, answers: GradedAnswer[]): QuizAttempt {
    this.store.transaction((tx) => tx.update(quizAttempts, { answers }, eq(quizAttempts.id, id)));
    return this.attempt(id);
  }

  attempt(id: string): QuizAttempt {
    const row = this.store.read
      .select({ attempt: quizAttempts, title: generatedSets.title })
      .from(quizAttempts)
      .innerJoin(generatedSets, eq(generatedSets.id, quizAttempts.setId))
      .where(eq(quizAttempts.id, id))
      .get();
    if (!row) throw new AppError('NOT_FOUND', 'That quiz result no longer exists.');
    return toAttempt(row.attempt, row.title);
  }

  attempts(classId: string | null | undefined): QuizAttempt[] {
    const where =
      classId === undefined
        ? undefined
        : classId === null
          ? isNull(quizAttempts.classId)
          : eq(quizAttempts.classId, classId);
    return this.store.read
      .select({ attempt: quizAttempts, title: generatedSets.title })
      .from(quizAttempts)
      .innerJoin(generatedSets, eq(generatedSets.id, quizAttempts.setId))
      .where(where)
      .orderBy(desc(quizAttempts.createdAt))
      .all()
      .map((row) => toAttempt(row.attempt, row.title));
  }

  private toSet(row: SetRow): GeneratedSet {
    const counted = (stale: boolean) =>
      this.store.read
        .select({ n: count() })
        .from(generatedItems)
        .where(
          and(
            eq(generatedItems.setId, row.id),
            inArray(generatedItems.status, ['ready', 'proposed', 'accepted']),
            stale ? isNotNull(generatedItems.stale) : undefined,
          ),
        )
        .get()!.n;
    return {
      id: row.id,
      kind: row.kind,
      classId: row.classId,
      title: row.title,
      from: row.source,
      madeBy: row.madeBy,
      createdAt: row.createdAt,
      items: counted(false),
      staleItems: counted(true),
    };
  }
}

const toItem = (row: ItemRow): GeneratedItem => ({
  id: row.id,
  setId: row.setId,
  ordinal: row.ordinal,
  content: row.content,
  sources: row.sources,
  stale: row.stale ?? null,
  status: row.status,
  noteId: row.noteId,
});

const toAttempt = (row: typeof quizAttempts.$inferSelect, title: string): QuizAttempt => ({
  id: row.id,
  setId: row.setId,
  classId: row.classId,
  title,
  answers: row.answers,
  score: row.answers.filter((answer) => answer.correct).length,
  total: row.answers.length,
  createdAt: row.createdAt,
});
