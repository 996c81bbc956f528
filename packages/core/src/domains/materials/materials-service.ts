import { randomUUID } from 'node:crypto';
import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { and, asc, count, desc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import {
  AppError,
  type EventSink,
  type ImportOutcome,
  type ImportSource,
  type Material,
  type MaterialFindResult,
  type MaterialPage,
  type MaterialType,
} from '../../contract/index.js';
import { materialPages, materials } from '../../db/schema/materials.js';
import type { DomainStore } from '../../db/store.js';
import { assertImportSize } from '../../ingest/detect-file-type.js';
import type { SearchSource } from '../../search/search-sources.js';
import { KeyedLock } from '../../storage/keyed-lock.js';
import { openRegularFile } from '../../storage/readable-file.js';
import type { StoredFile } from '../../storage/stored-file.js';
import { ImportWriter, nextTurn } from './import-writer.js';
import { findInPages } from './find-in-pages.js';
import type { FileStore, ImportJobs } from './ports.js';

type MaterialRow = typeof materials.$inferSelect;

export interface MaterialsServiceDeps {
  store: DomainStore;
  bus: EventSink;
  /** The content-addressed store the originals live in. */
  files: FileStore;
  /** Materials' passages in search. */
  source: SearchSource;
  uploadsDir: string;
  imports: ImportJobs;
  classExists(id: string): boolean;
  logger: Logger;
}

/** Most files one import call takes, folders expanded. */
const MAX_FILES_PER_IMPORT = 500;

const notFound = () => new AppError('NOT_FOUND', 'That material no longer exists. It may have been deleted.');
const titleFromName = (name: string) => basename(name, extname(name)).trim() || name;

/** Materials (imported files and pasted text): their rows, pages and stored files. */
export class MaterialsService {
  /**
   * Per stored file (sha256): removing it once no material uses it, and a new material taking it
   * up, happen one after the other. Otherwise deleting a material while the same file is imported
   * again could remove the file between the import finding it stored and recording its material.
   */
  private readonly blobLocks = new KeyedLock();
  /** Removals of materials marked deleted, under way. */
  private readonly removals = new Map<string, Promise<void>>();
  private closing = false;

  private readonly store: DomainStore;
  private readonly files: FileStore;

  constructor(private readonly deps: MaterialsServiceDeps) {
    this.store = deps.store;
    this.files = deps.files;
  }

  list(filter: { classId?: string; type?: MaterialType; limit: number; offset: number }): {
    items: Material[];
    total: number;
  } {
    const conditions: SQL[] = [ne(materials.status, 'deleting')];
    if (filter.classId === 'unfiled') conditions.push(isNull(materials.classId));
    else if (filter.classId) conditions.push(eq(materials.classId, filter.classId));
    if (filter.type) conditions.push(eq(materials.type, filter.type));
    const where = and(...conditions);
    const items = this.store.read
      .select()
      .from(materials)
      .where(where)
      .orderBy(desc(materials.importedAt), asc(materials.title))
      .limit(filter.limit)
      .offset(filter.offset)
      .all()
      .map(toMaterial);
    const [{ total }] = this.store.read.select({ total: count() }).from(materials).where(where).all() as [
      { total: number },
    ];
    return { items, total };
  }

  get(id: string): Material {
    return toMaterial(this.row(id));
  }

  /** Stores each file once (by content), records a material and queues its import. */
  async importSources(classId: string | null, sources: ImportSource[]): Promise<ImportOutcome[]> {
    this.assertClass(classId);
    const files = await this.expand(sources);
    const outcomes: ImportOutcome[] = [];
    for (const file of files) outcomes.push(await this.importFile(classId, file));
    return outcomes;
  }

  async pasteText(classId: string | null, title: string, text: string): Promise<ImportOutcome> {
    this.assertClass(classId);
    const bytes = Buffer.from(text, 'utf8');
    const store = () => this.files.put(bytes);
    return this.adopt(await store(), store, { name: `${title}.txt`, title, mimeType: 'text/plain' }, classId);
  }

  update(id: string, patch: { title?: string; classId?: string | null }): Material {
    if (patch.classId !== undefined) this.assertClass(patch.classId);
    const updated = this.store.transaction((tx) => {
      const [row] = tx.update(
        materials,
        { ...patch, updatedAt: new Date().toISOString() },
        and(eq(materials.id, id), ne(materials.status, 'deleting'))!,
      );
      if (row) this.deps.source.describe(id, patch);
      return row;
    });
    if (!updated) throw notFound();
    this.changed([id]);
    return toMaterial(updated);
  }

  /**
   * Deletes materials, their pages, passages and index entries, and each file no other material
   * shares; an import still under way for one of them is cancelled. They are marked deleted first,
   * in one transaction, so they are gone for the student at once; the rest goes a piece at a time
   * and, if the engine stops midway, is finished at its next start (see resumeDeletions).
   */
  async delete(ids: string[]): Promise<string[]> {
    const rows = this.store.read
      .select()
      .from(materials)
      .where(and(inArray(materials.id, ids), ne(materials.status, 'deleting')))
      .all();
    if (rows.length === 0) throw notFound();
    for (const row of rows) if (row.status === 'importing' && row.jobId) this.deps.imports.cancel(row.jobId);
    this.markDeleted(rows.map((row) => row.id));
    await Promise.all(rows.map((row) => this.removeDeleted(row)));
    return rows.map((row) => row.id);
  }

  /** Finishes removing the materials a stop or crash interrupted the deletion of (engine start). */
  async resumeDeletions(): Promise<void> {
    const rows = this.store.read.select().from(materials).where(eq(materials.status, 'deleting')).all();
    for (const row of rows) if (!this.closing) await this.removeDeleted(row);
  }

  /** Stops removals between pieces (engine shutdown); they are resumed at the next start. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.removals.values());
  }

  /** A class is being deleted: its materials stay, in no class (inside the class's transaction). */
  unfileClass(classId: string): void {
    const moved = this.store.transaction((tx) => {
      const rows = tx.update(materials, { classId: null }, eq(materials.classId, classId));
      for (const row of rows) this.deps.source.describe(row.id, { classId: null });
      return rows.map((row) => row.id);
    });
    if (moved.length > 0) this.changed(moved);
  }

  private markDeleted(ids: string[]): void {
    this.store.transaction((tx) => {
      tx.update(
        materials,
        { status: 'deleting', jobId: null, updatedAt: new Date().toISOString() },
        inArray(materials.id, ids),
      );
      for (const id of ids) this.deps.source.retire(id);
    });
    this.changed(ids);
  }

  /** Removes a material marked deleted; one removal per material at a time. */
  private removeDeleted(row: MaterialRow): Promise<void> {
    let removal = this.removals.get(row.id);
    if (!removal) {
      removal = this.removeInPieces(row).finally(() => this.removals.delete(row.id));
      this.removals.set(row.id, removal);
    }
    return removal;
  }

  /**
   * A book's passages and pages go a piece at a time (other calls are answered in between), then
   * its row and its file. Every step can be interrupted and run again.
   */
  private async removeInPieces(row: MaterialRow): Promise<void> {
    const { id } = row;
    if (this.closing) return;
    const more = (removed: number, piece: number) => removed === piece && !this.closing;
    while (more(this.deps.source.trim(id, REMOVE_PIECE_PASSAGES), REMOVE_PIECE_PASSAGES)) await nextTurn();
    while (more(this.removePages(id, REMOVE_PIECE_PAGES), REMOVE_PIECE_PAGES)) await nextTurn();
    if (this.closing) return;
    // The file before the row: a stop in between leaves the row, so the removal is run again.
    await this.removeUnsharedFile(row.blobSha256, id);
    this.store.transaction((tx) => {
      this.deps.source.remove(id);
      tx.delete(materialPages, eq(materialPages.materialId, id));
      tx.delete(materials, eq(materials.id, id));
    });
  }

  /** Removes up to `limit` of a material's last pages; returns how many went. */
  private removePages(id: string, limit: number): number {
    return this.store.transaction((tx) => {
      const numbers = this.store.read
        .select({ number: materialPages.pageNumber })
        .from(materialPages)
        .where(eq(materialPages.materialId, id))
        .orderBy(desc(materialPages.pageNumber))
        .limit(limit)
        .all()
        .map((page) => page.number);
      if (numbers.length === 0) return 0;
      tx.delete(
        materialPages,
        and(eq(materialPages.materialId, id), inArray(materialPages.pageNumber, numbers))!,
      );
      return numbers.length;
    });
  }

  page(id: string, pageNumber: number): MaterialPage {
    this.row(id);
    const page = this.store.read
      .select()
      .from(materialPages)
      .where(and(eq(materialPages.materialId, id), eq(materialPages.pageNumber, pageNumber)))
      .get();
    if (!page) throw new AppError('NOT_FOUND', `This material has no page ${pageNumber}.`);
    return {
      ...page,
      notes: page.notes ?? null,
      ocrConfidence: page.ocrConfidence ?? null,
      width: page.width ?? null,
      height: page.height ?? null,
    };
  }

  /** The viewer's find: a page at a time, so a long book is never held whole in memory. */
  findText(id: string, text: string): MaterialFindResult {
    const row = this.row(id);
    const pageTexts = function* (read: DomainStore['read']) {
      for (let pageNumber = 1; pageNumber <= row.pageCount; pageNumber++) {
        const page = read
          .select({ pageNumber: materialPages.pageNumber, text: materialPages.text })
          .from(materialPages)
          .where(and(eq(materialPages.materialId, id), eq(materialPages.pageNumber, pageNumber)))
          .get();
        if (page) yield page;
      }
    };
    return findInPages(pageTexts(this.store.read), text);
  }

  /** The stored original of a material, for the viewer. */
  file(id: string): StoredFile {
    const row = this.row(id);
    return { path: this.files.pathOf(row.blobSha256), mimeType: row.mimeType, name: row.sourceName };
  }

  /** What the import job needs to read a material's file. */
  importSubject(id: string): { path: string; name: string } | undefined {
    const row = this.visible(id);
    return row && { path: this.files.pathOf(row.blobSha256), name: row.sourceName };
  }

  /**
   * Starts saving an import's pages (see ImportWriter). Whatever an earlier, interrupted run of
   * the same import saved is removed first, a piece at a time.
   */
  async openImport(id: string, countTokens: TokenCounter): Promise<ImportWriter> {
    this.row(id);
    while (this.deps.source.trim(id, REMOVE_PIECE_PASSAGES) === REMOVE_PIECE_PASSAGES) await nextTurn();
    while (this.removePages(id, REMOVE_PIECE_PAGES) === REMOVE_PIECE_PAGES) await nextTurn();
    return new ImportWriter(
      {
        store: this.store,
        source: this.deps.source,
        importing: (materialId) => this.row(materialId),
        changed: (ids) => this.changed(ids),
      },
      id,
      countTokens,
    );
  }

  /**
   * An import that cannot succeed leaves nothing behind: no row, no pages, no orphaned file.
   * Called by the import job itself, so its job is not cancelled (it ends with its own reason).
   */
  async abandonImport(id: string): Promise<void> {
    const row = this.find(id);
    if (!row) return;
    if (row.status !== 'deleting') this.markDeleted([id]);
    await this.removeDeleted(row);
  }

  private async importFile(classId: string | null, file: { path: string; name: string; upload: boolean }) {
    try {
      const store = () => this.storeFile(file.path);
      const details = {
        name: file.name,
        title: titleFromName(file.name),
        mimeType: 'application/octet-stream',
      };
      return await this.adopt(await store(), store, details, classId);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        error instanceof AppError
          ? error.message
          : code === 'ENOENT'
            ? 'The file was not found. It may have been moved or deleted.'
            : code === 'EACCES' || code === 'EPERM'
              ? 'Little Monster is not allowed to read this file.'
              : `The file could not be read (${code ?? (error as Error).message}).`;
      this.deps.logger.warn({ err: error, name: file.name }, 'import refused');
      return { name: file.name, error: reason };
    } finally {
      // An upload is only a way in: stored or refused, its copy in the uploads folder goes.
      if (file.upload) await rm(file.path, { force: true });
    }
  }

  /**
   * Copies a file the student chose into the store. What it is and how big are checked on the
   * open file before a byte is copied: only a regular file no larger than an import takes.
   */
  private async storeFile(path: string): Promise<{ sha256: string; bytes: number }> {
    const file = await openRegularFile(path, (bytes) => assertImportSize(bytes));
    try {
      return await this.files.put(file.chunks());
    } finally {
      await file.close();
    }
  }

  /**
   * Records a material for a file just stored, once no removal of that file is under way; if one
   * removed it after `put` found it already stored, it is stored again from the same source.
   */
  private adopt(
    stored: { sha256: string; bytes: number },
    storeAgain: () => Promise<unknown>,
    details: { name: string; title: string; mimeType: string },
    classId: string | null,
  ): Promise<ImportOutcome> {
    return this.blobLocks.run(stored.sha256, async () => {
      if (!(await this.files.has(stored.sha256))) await storeAgain();
      return this.record(classId, { ...details, ...stored });
    });
  }

  private record(
    classId: string | null,
    file: { name: string; title: string; mimeType: string; sha256: string; bytes: number },
  ): ImportOutcome {
    const existing = this.store.read
      .select()
      .from(materials)
      .where(and(eq(materials.blobSha256, file.sha256), ne(materials.status, 'deleting')))
      .get();
    if (existing) return { name: file.name, duplicateOf: { id: existing.id, title: existing.title } };
    const id = randomUUID();
    const now = new Date().toISOString();
    // The material and its job exist together or not at all: no row is ever left without its import.
    const jobId = this.store.transaction((tx) => {
      tx.insert(materials, {
        id,
        classId,
        title: file.title,
        type: 'text',
        status: 'importing',
        blobSha256: file.sha256,
        sourceName: file.name,
        mimeType: file.mimeType,
        bytes: file.bytes,
        importedAt: now,
        updatedAt: now,
      });
      const started = this.deps.imports.start(id, file.name);
      tx.update(materials, { jobId: started }, eq(materials.id, id));
      return started;
    });
    this.changed([id]);
    return { name: file.name, materialId: id, jobId };
  }

  private assertClass(classId: string | null): void {
    if (classId && !this.deps.classExists(classId))
      throw new AppError('NOT_FOUND', 'That class no longer exists. Choose another class.');
  }

  /** Paths and uploads as files to import; a folder brings every file below it (hidden ones skipped). */
  private async expand(sources: ImportSource[]): Promise<{ path: string; name: string; upload: boolean }[]> {
    const files: { path: string; name: string; upload: boolean }[] = [];
    const add = (file: { path: string; name: string; upload: boolean }) => {
      // Checked as files are found, so pointing at a whole drive stops early instead of walking it.
      if (files.length >= MAX_FILES_PER_IMPORT) {
        throw new AppError(
          'INVALID_INPUT',
          `That is more than ${MAX_FILES_PER_IMPORT} files. Import them in smaller groups.`,
        );
      }
      files.push(file);
    };
    const walk = async (path: string, top: boolean): Promise<void> => {
      // lstat: linked folders inside are skipped, so a link loop cannot run forever.
      const info = await (top ? stat(path) : lstat(path)).catch(() => undefined);
      if (info?.isDirectory()) {
        const entries = await readdir(path).catch(() => [] as string[]); // an unreadable folder is skipped
        for (const entry of entries.filter((name) => !name.startsWith('.')).sort()) {
          await walk(join(path, entry), false);
        }
      } else if (top || info?.isFile()) {
        add({ path, name: basename(path), upload: false });
      }
    };
    for (const source of sources) {
      if (source.kind === 'upload') {
        add({ path: join(this.deps.uploadsDir, source.uploadId), name: source.name, upload: true });
      } else {
        await walk(source.path, true);
      }
    }
    return files;
  }

  /** Removes a stored file unless a material other than `leaving` uses it. */
  private removeUnsharedFile(sha256: string, leaving: string): Promise<void> {
    return this.blobLocks.run(sha256, async () => {
      const stillUsed = this.store.read
        .select({ id: materials.id })
        .from(materials)
        .where(and(eq(materials.blobSha256, sha256), ne(materials.id, leaving)))
        .get();
      if (!stillUsed) await this.files.remove(sha256);
    });
  }

  private find(id: string): MaterialRow | undefined {
    return this.store.read.select().from(materials).where(eq(materials.id, id)).get();
  }

  /** The material unless it is being deleted. */
  private visible(id: string): MaterialRow | undefined {
    const row = this.find(id);
    return row?.status === 'deleting' ? undefined : row;
  }

  private row(id: string): MaterialRow {
    const row = this.visible(id);
    if (!row) throw notFound();
    return row;
  }

  private changed(ids: string[]): void {
    this.deps.bus.emit('materials.changed', { ids });
  }
}

/** Passages removed per transaction when a material is deleted. */
const REMOVE_PIECE_PASSAGES = 500;
/** Pages removed per transaction (a page holds up to about 25,000 characters). */
const REMOVE_PIECE_PAGES = 40;

function toMaterial(row: MaterialRow): Material {
  return {
    id: row.id,
    classId: row.classId,
    title: row.title,
    type: row.type,
    status: row.status === 'ready' ? 'ready' : 'importing',
    sourceName: row.sourceName,
    mimeType: row.mimeType,
    bytes: row.bytes,
    pageCount: row.pageCount,
    warnings: row.warnings,
    jobId: row.jobId,
    importedAt: row.importedAt,
    updatedAt: row.updatedAt,
  };
}
