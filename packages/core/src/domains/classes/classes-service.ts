import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import {
  AppError,
  type ClassPatch,
  type ExamInput,
  type StudyClass,
  type ClassInputSchema,
} from '../../contract/index.js';
import type { z } from 'zod';
import type { AppDatabase } from '../../db/open-database.js';
import { classes, classExams } from '../../db/schema/index.js';
import type { EventBus } from '../../rpc/event-bus.js';

type ClassRow = typeof classes.$inferSelect;
type ExamRow = typeof classExams.$inferSelect;
type NewClass = z.output<typeof ClassInputSchema>;

const notFound = () => new AppError('NOT_FOUND', 'That class no longer exists. It may have been deleted.');

/** Classes (courses) with their weekly schedule and exam dates. */
export class ClassesService {
  constructor(
    private readonly db: AppDatabase,
    private readonly bus: EventBus,
  ) {}

  list({ includeArchived }: { includeArchived: boolean }): StudyClass[] {
    const rows = this.db
      .select()
      .from(classes)
      .where(includeArchived ? undefined : eq(classes.archived, false))
      .orderBy(asc(classes.archived), asc(classes.sortOrder), asc(classes.createdAt))
      .all();
    const exams = this.examsByClass(rows.map((row) => row.id));
    return rows.map((row) => toClass(row, exams.get(row.id) ?? []));
  }

  get(id: string): StudyClass {
    const row = this.db.select().from(classes).where(eq(classes.id, id)).get();
    if (!row) throw notFound();
    return toClass(row, this.examsByClass([id]).get(id) ?? []);
  }

  create(input: NewClass): StudyClass {
    // Ids belong to exams already stored; a new class's exams all get fresh ones.
    input = { ...input, exams: input.exams.map((exam) => ({ ...exam, id: undefined })) };
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.transaction((tx) => {
      const { last } = tx
        .select({ last: sql<number>`coalesce(max(${classes.sortOrder}), -1)` })
        .from(classes)
        .get()!;
      const { exams, ...fields } = input;
      tx.insert(classes)
        .values({ ...fields, id, archived: false, sortOrder: last + 1, createdAt: now, updatedAt: now })
        .run();
      insertExams(tx, id, exams);
    });
    this.changed([id]);
    return this.get(id);
  }

  update(id: string, patch: ClassPatch): StudyClass {
    const { exams, ...fields } = patch;
    this.db.transaction((tx) => {
      const updated = tx
        .update(classes)
        .set({ ...fields, updatedAt: new Date().toISOString() })
        .where(eq(classes.id, id))
        .returning({ id: classes.id })
        .get();
      if (!updated) throw notFound();
      if (exams) {
        const previous = tx
          .delete(classExams)
          .where(eq(classExams.classId, id))
          .returning({ id: classExams.id })
          .all();
        const known = new Set(previous.map((exam) => exam.id));
        // An id the class did not have (made up, or another class's) gets a fresh one.
        insertExams(
          tx,
          id,
          exams.map((exam) => (exam.id && known.has(exam.id) ? exam : { ...exam, id: undefined })),
        );
      }
    });
    this.changed([id]);
    return this.get(id);
  }

  /** Puts the given classes first, in the given order; the others keep their relative order after them. */
  reorder(ids: string[]): void {
    if (new Set(ids).size !== ids.length)
      throw new AppError('INVALID_INPUT', 'A class appears twice in the new order.');
    this.db.transaction((tx) => {
      const known = tx.select({ id: classes.id }).from(classes).where(inArray(classes.id, ids)).all();
      if (known.length !== ids.length) throw notFound();
      const rest = tx
        .select({ id: classes.id })
        .from(classes)
        .orderBy(asc(classes.sortOrder), asc(classes.createdAt))
        .all()
        .map((row) => row.id)
        .filter((id) => !ids.includes(id));
      [...ids, ...rest].forEach((id, sortOrder) => {
        tx.update(classes).set({ sortOrder }).where(eq(classes.id, id)).run();
      });
    });
    this.changed(ids);
  }

  delete(id: string): void {
    const deleted = this.db.delete(classes).where(eq(classes.id, id)).returning({ id: classes.id }).get();
    if (!deleted) throw notFound();
    this.changed([id]);
  }

  private examsByClass(ids: string[]): Map<string, ExamRow[]> {
    const byClass = new Map<string, ExamRow[]>();
    if (ids.length === 0) return byClass;
    // Past a few hundred ids one scan is cheaper than a long IN list (and stays under SQLite's variable limit).
    const rows =
      ids.length > 500
        ? this.db.select().from(classExams).orderBy(asc(classExams.date)).all()
        : this.db
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

  private changed(ids: string[]): void {
    this.bus.emit('classes.changed', { ids });
  }
}

function insertExams(tx: Pick<AppDatabase, 'insert'>, classId: string, exams: ExamInput[]): void {
  if (exams.length === 0) return;
  tx.insert(classExams)
    .values(
      exams.map((exam) => ({
        id: exam.id ?? randomUUID(),
        classId,
        title: exam.title,
        date: exam.date,
        time: exam.time ?? null,
      })),
    )
    .run();
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
