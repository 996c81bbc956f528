import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { and, asc, desc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import { AppError } from '../../contract/index.js';
// The domain's own contract and schema files: they compile before and after the indexes re-export them.
import type { Lecture, LectureBookmark, LectureStatus } from '../../contract/lectures.js';
import type { AppDatabase } from '../../db/open-database.js';
import { classes } from '../../db/schema/index.js';
import { lectureBookmarks, lectures } from '../../db/schema/lectures.js';

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

/**
 * Lectures and their bookmarks in SQLite. The database runs with synchronous=NORMAL, which can
 * lose the last commits when the computer loses power; the writes a recording depends on
 * (its creation, each acknowledged chunk, its end) are made durable one by one instead.
 */
export class LectureStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly sqlite: Database.Database,
  ) {}

  list(classId: string | null | undefined): Lecture[] {
    const where =
      classId === undefined
        ? undefined
        : classId === null
          ? isNull(lectures.classId)
          : eq(lectures.classId, classId);
    return this.db
      .select()
      .from(lectures)
      .where(where)
      .orderBy(desc(lectures.startedAt), desc(lectures.createdAt))
      .all()
      .map(toLecture);
  }

  row(id: string): LectureRow {
    const row = this.db.select().from(lectures).where(eq(lectures.id, id)).get();
    if (!row) throw lectureNotFound();
    return row;
  }

  get(id: string): Lecture {
    return toLecture(this.row(id));
  }

  withStatus(statuses: LectureStatus[]): LectureRow[] {
    return this.db.select().from(lectures).where(inArray(lectures.status, statuses)).all();
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
    return this.durably(() =>
      this.db.transaction((tx) => {
        if (
          input.classId &&
          !tx.select({ id: classes.id }).from(classes).where(eq(classes.id, input.classId)).get()
        )
          throw new AppError('NOT_FOUND', 'That class no longer exists. It may have been deleted.');
        const title = input.title ?? `${DEFAULT_TITLE} ${this.nextNumber(tx, input.classId)}`;
        return toLecture(
          tx
            .insert(lectures)
            .values({
              id,
              classId: input.classId,
              title,
              status: 'recording',
              fileName: input.fileName(id),
              mimeType: input.mimeType,
              startedAt: now,
              createdAt: now,
              updatedAt: now,
            })
            .returning()
            .get(),
        );
      }),
    );
  }

  /** Changes a lecture; `durable` waits until the change is on the disk (what the recorder is told is safe). */
  update(id: string, patch: LecturePatch, { durable = false } = {}): LectureRow {
    const write = () =>
      this.db
        .update(lectures)
        .set({ ...patch, updatedAt: new Date().toISOString() })
        .where(eq(lectures.id, id))
        .returning()
        .get();
    const row = durable ? this.durably(write) : write();
    if (!row) throw lectureNotFound();
    return row;
  }

  delete(id: string): LectureRow {
    const row = this.durably(() => this.db.delete(lectures).where(eq(lectures.id, id)).returning().get());
    if (!row) throw lectureNotFound();
    return row;
  }

  bookmarks(lectureId: string): LectureBookmark[] {
    return this.db
      .select()
      .from(lectureBookmarks)
      .where(eq(lectureBookmarks.lectureId, lectureId))
      .orderBy(asc(lectureBookmarks.atMs), asc(lectureBookmarks.createdAt))
      .all();
  }

  addBookmark(lectureId: string, atMs: number, note: string): LectureBookmark {
    return this.db
      .insert(lectureBookmarks)
      .values({ id: randomUUID(), lectureId, atMs, note, createdAt: new Date().toISOString() })
      .returning()
      .get();
  }

  removeBookmark(id: string): LectureBookmark {
    const row = this.db.delete(lectureBookmarks).where(eq(lectureBookmarks.id, id)).returning().get();
    if (!row) throw new AppError('NOT_FOUND', 'That bookmark no longer exists.');
    return row;
  }

  /**
   * Commits with the write-ahead log flushed to the disk. better-sqlite3 is synchronous, so no
   * other statement runs on this connection while the setting is raised.
   */
  private durably<T>(work: () => T): T {
    const previous = this.sqlite.pragma('synchronous', { simple: true }) as number;
    this.sqlite.pragma('synchronous = FULL');
    try {
      return work();
    } finally {
      this.sqlite.pragma(`synchronous = ${previous}`);
    }
  }

  /** One more than the class's lectures, and than any "Lecture n" it has (so a deletion never repeats a number). */
  private nextNumber(tx: Pick<AppDatabase, 'select'>, classId: string | null): number {
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
