import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  AppError,
  type ClassInputSchema,
  type ClassPatch,
  type ExamInput,
  type StudyClass,
} from '../../contract/index.js';
import { classes, classExams } from '../../db/schema/classes.js';
import type { DomainStore, StoreReader, StoreWriter } from '../../db/store.js';

type ClassRow = typeof classes.$inferSelect;
type ExamRow = typeof classExams.$inferSelect;
type NewClass = z.output<typeof ClassInputSchema>;

const notFound = () => new AppError('NOT_FOUND', 'That class no longer exists. It may have been deleted.');

/** Classes (courses) with their weekly schedule and exam dates: the domain's tables, read and written. */
export class ClassesRepository {
  constructor(private readonly store: DomainStore) {}

  list({ includeArchived }: { includeArchived: boolean }): StudyClass[] {
    const rows = this.store.read
      .select()
      .from(classes)
      .where(includeArchived ? undefined : eq(classes.archived, false))
      .orderBy(asc(classes.archived), asc(classes.sortOrder), asc(classes.createdAt))
      .all();
    const exams = examsByClass(
      this.store.read,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toClass(row, exams.get(row.id) ?? []));
  }

  get(id: string): StudyClass {
    const row = this.store.read.select().from(classes).where(eq(classes.id, id)).get();
    if (!row) throw notFound();
    return toClass(row, examsByClass(this.store.read, [id]).get(id) ?? []);
  }

  exists(id: string): boolean {
    return (
      this.store.read.select({ id: classes.id }).from(classes).where(eq(classes.id, id)).get() !== undefined
    );
  }

  create(input: NewClass): string {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.store.transaction((tx) => {
      const { last } = tx
        .select({ last: sql<number>`coalesce(max(${classes.sortOrder}), -1)` })
        .from(classes)
        .get()!;
      const { exams, ...fields } = input;
      tx.insert(classes, {
        ...fields,
        id,
        archived: false,
        sortOrder: last + 1,
        createdAt: now,
        updatedAt: now,
      });
      // Ids belong to exams already stored; a new class's exams all get fresh ones.
      insertExams(
        tx,
        id,
        exams.map((exam) => ({ ...exam, id: undefined })),
      );
    });
    return id;
  }

  update(id: string, patch: ClassPatch): void {
    const { exams, ...fields } = patch;
    this.store.transaction((tx) => {
      const [updated] = tx.update(
        classes,
        { ...fields, updatedAt: new Date().toISOString() },
        eq(classes.id, id),
      );
      if (!updated) throw notFound();
      if (!exams) return;
      const previous = tx.delete(classExams, eq(classExams.classId, id));
      const known = new Set(previous.map((exam) => exam.id));
      // An id the class did not have (made up, or another class's) gets a fresh one.
      insertExams(
        tx,
        id,
        exams.map((exam) => (exam.id && known.has(exam.id) ? exam : { ...exam, id: undefined })),
      );
    });
  }

  /** Puts the given classes first, in the given order; the others keep their relative order after them. */
  reorder(ids: string[]): void {
    if (new Set(ids).size !== ids.length)
      throw new AppError('INVALID_INPUT', 'A class appears twice in the new order.');
    this.store.transaction((tx) => {
      const rows = tx
        .select({ id: classes.id, sortOrder: classes.sortOrder })
        .from(classes)
        .orderBy(asc(classes.sortOrder), asc(classes.createdAt))
        .all();
      const current = new Map(rows.map((row) => [row.id, row.sortOrder]));
      if (ids.some((id) => !current.has(id))) throw notFound();
      const rest = rows.map((row) => row.id).filter((id) => !ids.includes(id));
      [...ids, ...rest].forEach((id, sortOrder) => {
        // Only rows that move are written (and recorded as changed).
        if (current.get(id) !== sortOrder) tx.update(classes, { sortOrder }, eq(classes.id, id));
      });
    });
  }

  /** Deletes the class and its exams; `beforeDelete` runs first, in the same transaction. */
  delete(id: string, beforeDelete: () => void): void {
    this.store.transaction((tx) => {
      if (!this.exists(id)) throw notFound();
      beforeDelete();
      tx.delete(classExams, eq(classExams.classId, id));
      tx.delete(classes, eq(classes.id, id));
    });
  }
}

function examsByClass(read: StoreReader, ids: string[]): Map<string, ExamRow[]> {
  const byClass = new Map<string, ExamRow[]>();
  if (ids.length === 0) return byClass;
  // Past a few hundred ids one scan is cheaper than a long IN list (and stays under SQLite's variable limit).
  const rows =
    ids.length > 500
      ? read.select().from(classExams).orderBy(asc(classExams.date)).all()
      : read
          .select()
          .from(classExams)
          .where(inArray(classExams.classId, ids))
          .orderBy(asc(classExams.date))
          .all();
  for (const row of rows) {
    const list = byClass.get(row.classId);
    if (list) list.push(row);
    else byClass.set(row.classId, [row]);
  }
  return byClass;
}

function insertExams(tx: StoreWriter, classId: string, exams: ExamInput[]): void {
  tx.insert(
    classExams,
    exams.map((exam) => ({
      id: exam.id ?? randomUUID(),
      classId,
      title: exam.title,
      date: exam.date,
      time: exam.time ?? null,
    })),
  );
}

function toClass(row: ClassRow, exams: ExamRow[]): StudyClass {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    term: row.term,
    color: row.color,
    instructor: row.instructor,
    schedule: row.schedule,
    exams: exams.map((exam) => ({
      id: exam.id,
      title: exam.title,
      date: exam.date,
      ...(exam.time ? { time: exam.time } : {}),
    })),
    archived: row.archived,
    sortOrder: row.sortOrder,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
