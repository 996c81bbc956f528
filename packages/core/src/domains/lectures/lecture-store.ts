import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import { AppError, type Lecture, type LectureBookmark, type LectureStatus } from '../../contract/index.js';
import { lectureBookmarks, lectures } from '../../db/schema/lectures.js';
import type { DomainStore, StoreReader } from '../../db/store.js';

export type LectureRow = typeof lectures.$inferSelect;
type LecturePatch = Partial<
  Pick<
    LectureRow,
    | 'title'
    | 'status'
    | 'bytes'
    | 'durationMs'
    | 'lastSeq'
    | 'finalized'
    | 'recoveryNotice'
    | 'error'
    | 'endedAt'
  >
>;

export const lectureNotFound = () =>
  new AppError('NOT_FOUND', 'That lecture no longer exists. It may have been deleted.');

const DEFAULT_TITLE = 'Lecture';

export interface LectureStoreHooks {
  classExists(id: string): boolean;
  /** A lecture is being deleted, in its transaction (what other domains keep of it goes too). */
  deleting(id: string): void;
}

/**
 * Lectures and their bookmarks in SQLite. The database runs with synchronous=NORMAL, which can
 * lose the last commits when the computer loses power; the writes a recording depends on
 * (its creation, each acknowledged chunk, its end) are made durable one by one instead.
 */
export class LectureStore {
  constructor(
    private readonly store: DomainStore,
    private readonly hooks: LectureStoreHooks,
  ) {}

  list(classId: string | null | undefined): Lecture[] {
    const where =
      classId === undefined
        ? undefined
        : classId === null
          ? isNull(lectures.classId)
          : eq(lectures.classId, classId);
    return this.store.read
      .select()
      .from(lectures)
      .where(where)
      .orderBy(desc(lectures.startedAt), desc(lectures.createdAt))
      .all()
      .map(toLecture);
  }

  row(id: string): LectureRow {
    const row = this.store.read.select().from(lectures).where(eq(lectures.id, id)).get();
    if (!row) throw lectureNotFound();
    return row;
  }

  get(id: string): Lecture {
    return toLecture(this.row(id));
  }

  withStatus(statuses: LectureStatus[]): LectureRow[] {
    return this.store.read.select().from(lectures).where(inArray(lectures.status, statuses)).all();
  }

  /** A new recording; without a title it is "Lecture n", n counting the lectures of its class. */
  create(input: {
    classId: string | null;
    title?: string;
    mimeType: string;
    fileName: (id: string) => string;
  }) {
    const id = randomUUID();
    const now = new Date().toISOString();
    return this.store.transaction(
      (tx) => {
        if (input.classId && !this.hooks.classExists(input.classId))
          throw new AppError('NOT_FOUND', 'That class no longer exists. It may have been deleted.');
        const title = input.title ?? `${DEFAULT_TITLE} ${this.nextNumber(tx, input.classId)}`;
        const [row] = tx.insert(lectures, {
          id,
          classId: input.classId,
          title,
          status: 'recording',
          fileName: input.fileName(id),
          mimeType: input.mimeType,
          startedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        return toLecture(row!);
      },
      { durable: true },
    );
  }

  /** Changes a lecture; `durable` waits until the change is on the disk (what the recorder is told is safe). */
  update(id: string, patch: LecturePatch, { durable = false } = {}): LectureRow {
    const [row] = this.store.transaction(
      (tx) => tx.update(lectures, { ...patch, updatedAt: new Date().toISOString() }, eq(lectures.id, id)),
      { durable },
    );
    if (!row) throw lectureNotFound();
    return row;
  }

  /** Deletes a lecture and its bookmarks (and, through `deleting`, what other domains keep of it). */
  delete(id: string): LectureRow {
    const [row] = this.store.transaction(
      (tx) => {
        const found = tx.select({ id: lectures.id }).from(lectures).where(eq(lectures.id, id)).get();
        if (!found) return [];
        this.hooks.deleting(id);
        tx.delete(lectureBookmarks, eq(lectureBookmarks.lectureId, id));
        return tx.delete(lectures, eq(lectures.id, id));
      },
      { durable: true },
    );
    if (!row) throw lectureNotFound();
    return row;
  }

  /** A class is being deleted: its lectures stay, in no class. */
  unfileClass(classId: string): LectureRow[] {
    return this.store.transaction((tx) =>
      tx.update(
        lectures,
        { classId: null, updatedAt: new Date().toISOString() },
        eq(lectures.classId, classId),
      ),
    );
  }

  bookmarks(lectureId: string): LectureBookmark[] {
    return this.store.read
      .select()
      .from(lectureBookmarks)
      .where(eq(lectureBookmarks.lectureId, lectureId))
      .orderBy(asc(lectureBookmarks.atMs), asc(lectureBookmarks.createdAt))
      .all();
  }

  addBookmark(lectureId: string, atMs: number, note: string): LectureBookmark {
    const [bookmark] = this.store.transaction((tx) =>
      tx.insert(lectureBookmarks, {
        id: randomUUID(),
        lectureId,
        atMs,
        note,
        createdAt: new Date().toISOString(),
      }),
    );
    return bookmark!;
  }

  removeBookmark(id: string): LectureBookmark {
    const [row] = this.store.transaction((tx) => tx.delete(lectureBookmarks, eq(lectureBookmarks.id, id)));
    if (!row) throw new AppError('NOT_FOUND', 'That bookmark no longer exists.');
    return row;
  }

  /** One more than the class's lectures, and than any "Lecture n" it has (so a deletion never repeats a number). */
  private nextNumber(tx: StoreReader, classId: string | null): number {
    const inClass = classId ? eq(lectures.classId, classId) : isNull(lectures.classId);
    const { count } = tx
      .select({ count: sql<number>`count(*)` })
      .from(lectures)
      .where(inClass)
      .get()!;
    const numbered = tx
      .select({ title: lectures.title })
      .from(lectures)
      .where(and(inClass, like(lectures.title, `${DEFAULT_TITLE} %`)))
      .all()
      .map((row) => Number(/^Lecture (\d+)$/.exec(row.title)?.[1] ?? 0));
    return Math.max(count, ...numbered) + 1;
  }
}

export function toLecture(row: LectureRow): Lecture {
  return {
    id: row.id,
    classId: row.classId,
    title: row.title,
    status: row.status,
    mimeType: row.mimeType,
    bytes: row.bytes,
    durationMs: row.durationMs,
    lastSeq: row.lastSeq,
    recoveryNotice: row.recoveryNotice,
    error: row.error,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
