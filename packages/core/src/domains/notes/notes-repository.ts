import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { AppError, type WrittenNote, type WrittenNoteSummary } from '../../contract/index.js';
import { notes } from '../../db/schema/notes.js';
import type { DomainStore } from '../../db/store.js';
import type { ChunkInput } from '../../search/search-index.js';
import type { SearchSource } from '../../search/search-sources.js';
import { noteExcerpt, sanitizeNoteMarkdown } from './note-markdown.js';

type NoteRow = typeof notes.$inferSelect;

export interface NoteFields {
  classId: string | null;
  lectureId: string | null;
  title: string;
  markdown: string;
}

/** What the note's search passages are made of, measured before the write (the tokenizer is async). */
export type NoteIndexer = (note: Pick<NoteFields, 'title' | 'markdown'>) => Promise<ChunkInput[]>;

const notFound = () => new AppError('NOT_FOUND', 'That note no longer exists. It may have been deleted.');

/**
 * Notes: the domain's one table, and each note's passages as search's `note` source, written in
 * the same transaction as the row so search never finds a note that is not there (or misses one
 * that is). Writes wait for the disk: a note is typing the student cannot get back.
 */
export class NotesRepository {
  constructor(
    private readonly store: DomainStore,
    private readonly source: SearchSource,
  ) {}

  list(filter: { classId?: string | null; lectureId?: string }): WrittenNoteSummary[] {
    const conditions: SQL[] = [];
    if (filter.classId !== undefined)
      conditions.push(filter.classId === null ? isNull(notes.classId) : eq(notes.classId, filter.classId));
    if (filter.lectureId !== undefined) conditions.push(eq(notes.lectureId, filter.lectureId));
    return this.store.read
      .select()
      .from(notes)
      .where(and(...conditions))
      .orderBy(desc(notes.updatedAt), desc(notes.createdAt))
      .all()
      .map(({ markdown, ...row }) => ({ ...row, excerpt: noteExcerpt(markdown) }));
  }

  get(id: string): WrittenNote {
    const row = this.store.read.select().from(notes).where(eq(notes.id, id)).get();
    if (!row) throw notFound();
    return toNote(row);
  }

  create(fields: NoteFields, chunks: ChunkInput[]): string {
    const id = randomUUID();
    const now = new Date().toISOString();
    const row = { ...fields, id, createdAt: now, updatedAt: now };
    this.store.transaction(
      (tx) => {
        tx.insert(notes, row);
        this.source.replace(id, details(row), chunks);
      },
      { durable: true },
    );
    return id;
  }

  /** `chunks` when the words changed (title or text): the passages are replaced with them. */
  update(id: string, patch: Partial<NoteFields>, chunks: ChunkInput[] | null): void {
    const set = { ...patch, updatedAt: new Date().toISOString() };
    this.store.transaction(
      (tx) => {
        const [row] = tx.update(notes, set, eq(notes.id, id));
        if (!row) throw notFound();
        if (chunks) this.source.replace(id, details(row), chunks);
        else this.source.describe(id, { classId: row.classId });
      },
      { durable: true },
    );
  }

  delete(id: string): void {
    this.store.transaction((tx) => {
      const [row] = tx.delete(notes, eq(notes.id, id));
      if (!row) throw notFound();
      this.source.remove(id);
    });
  }

  /** A deleted class's notes stay, in no class (inside the class's delete transaction). */
  unfileClass(classId: string): string[] {
    return this.store.transaction((tx) => {
      const rows = tx.update(notes, { classId: null }, eq(notes.classId, classId));
      for (const row of rows) this.source.describe(row.id, { classId: null });
      return rows.map((row) => row.id);
    });
  }

  /** A deleted lecture's notes stay; their stamps no longer play anything. */
  detachLecture(lectureId: string): string[] {
    return this.store.transaction((tx) =>
      tx.update(notes, { lectureId: null }, eq(notes.lectureId, lectureId)).map((row) => row.id),
    );
  }
}

const details = (row: NoteRow) => ({
  title: row.title,
  classId: row.classId,
  materialType: null,
  addedAt: row.createdAt,
});

/** Stored Markdown is shown sanitised: a row synced or written by an older version is no exception. */
const toNote = (row: NoteRow): WrittenNote => ({ ...row, markdown: sanitizeNoteMarkdown(row.markdown) });
