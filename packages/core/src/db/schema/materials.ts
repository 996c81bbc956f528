import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { MaterialType, PageWord } from '../../contract/index.js';
import { classes } from './classes.js';

/** `deleting`: deleted by the student, its pages and passages still being removed (hidden everywhere). */
export type MaterialStatus = 'importing' | 'ready' | 'failed' | 'deleting';

/** Something the student imported: a PDF, a photo, slides, a document or pasted text. */
export const materials = sqliteTable(
  'materials',
  {
    id: text('id').primaryKey(),
    classId: text('class_id').references(() => classes.id),
    title: text('title').notNull(),
    type: text('type').$type<MaterialType>().notNull(),
    status: text('status').$type<MaterialStatus>().notNull(),
    /** sha256 of the original file in the content-addressed store (blobs/ab/abcdef...). */
    blobSha256: text('blob_sha256').notNull(),
    sourceName: text('source_name').notNull(),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    pageCount: integer('page_count').notNull().default(0),
    /** Problems met while importing that did not stop it ("page 3 could not be read"). */
    warnings: text('warnings', { mode: 'json' }).$type<string[]>().notNull().default([]),
    error: text('error'),
    jobId: text('job_id'),
    importedAt: text('imported_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('materials_class_idx').on(t.classId),
    index('materials_blob_idx').on(t.blobSha256),
    index('materials_imported_idx').on(t.importedAt),
  ],
);

/** The text of one page (or slide, or image) with where each word sits, for highlighting. */
export const materialPages = sqliteTable(
  'material_pages',
  {
    materialId: text('material_id')
      .notNull()
      .references(() => materials.id),
    pageNumber: integer('page_number').notNull(),
    text: text('text').notNull(),
    /** Speaker notes of a slide. */
    notes: text('notes'),
    words: text('words', { mode: 'json' }).$type<PageWord[]>().notNull().default([]),
    /** How the text was obtained. */
    source: text('source').$type<'text-layer' | 'ocr' | 'document'>().notNull(),
    ocrConfidence: real('ocr_confidence'),
    width: real('width'),
    height: real('height'),
  },
  (t) => [primaryKey({ columns: [t.materialId, t.pageNumber] })],
);
