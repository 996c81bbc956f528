import { z } from 'zod';
import { SourceKindSchema, SourceLocationSchema, SourceRefSchema } from './sources.js';

export const MATERIAL_TYPES = ['pdf', 'image', 'slides', 'document', 'markdown', 'text'] as const;
export const MaterialTypeSchema = z.enum(MATERIAL_TYPES);
export type MaterialType = z.infer<typeof MaterialTypeSchema>;

export const MaterialIdSchema = z.string().uuid();

export const MaterialSchema = z.object({
  id: MaterialIdSchema,
  classId: z.string().uuid().nullable(),
  title: z.string(),
  type: MaterialTypeSchema,
  status: z.enum(['importing', 'ready']),
  sourceName: z.string(),
  mimeType: z.string(),
  bytes: z.number().int(),
  pageCount: z.number().int(),
  /** Problems met while importing that did not stop it. */
  warnings: z.array(z.string()),
  /** The import job while it runs. */
  jobId: z.string().uuid().nullable(),
  importedAt: z.string(),
  updatedAt: z.string(),
});
export type Material = z.infer<typeof MaterialSchema>;

/** A file to import: a path on this computer (desktop, or typed), or a file uploaded to the browser-mode host. */
export const ImportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('upload'), uploadId: z.string().uuid(), name: z.string().min(1).max(255) }),
]);
export type ImportSource = z.infer<typeof ImportSourceSchema>;

export const ImportOutcomeSchema = z.object({
  /** The file's name, as the student knows it. */
  name: z.string(),
  materialId: MaterialIdSchema.optional(),
  jobId: z.string().uuid().optional(),
  /** The same file was imported before: this is that material. */
  duplicateOf: z.object({ id: MaterialIdSchema, title: z.string() }).optional(),
  /** Why this file was not imported. */
  error: z.string().optional(),
});
export type ImportOutcome = z.infer<typeof ImportOutcomeSchema>;

/** A word or line the text layer or OCR placed on a page, in page units (0..1 of width/height). */
export const PageWordSchema = z.object({
  text: z.string(),
  /** Offset of the word in the page's text. */
  start: z.number().int(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  confidence: z.number().optional(),
});
export type PageWord = z.infer<typeof PageWordSchema>;

export const MaterialPageSchema = z.object({
  materialId: MaterialIdSchema,
  pageNumber: z.number().int().min(1),
  text: z.string(),
  notes: z.string().nullable(),
  words: z.array(PageWordSchema),
  source: z.enum(['text-layer', 'ocr', 'document']),
  ocrConfidence: z.number().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
});
export type MaterialPage = z.infer<typeof MaterialPageSchema>;

/** The most matches a find returns: enough to page through, and a bounded answer for a common word. */
export const MAX_FIND_MATCHES = 1000;

export const MaterialFindResultSchema = z.object({
  /** Character ranges of the pages' text, as search hits give them. */
  matches: z.array(
    z.object({ page: z.number().int().min(1), start: z.number().int().min(0), end: z.number().int() }),
  ),
  /** More matches than MAX_FIND_MATCHES: only the first ones are listed. */
  truncated: z.boolean(),
});
export type MaterialFindResult = z.infer<typeof MaterialFindResultSchema>;

/** Marks around the matched words in a snippet; the UI turns them into <mark> (never raw HTML). */
export const SNIPPET_MARK_START = '\u0002';
export const SNIPPET_MARK_END = '\u0003';

export const SearchHitSchema = z.object({
  chunkId: z.number().int(),
  /** What the passage belongs to: a viewer opens it there. */
  ref: SourceRefSchema,
  title: z.string(),
  /** For a material: its type (PDF, slides…); null for other kinds of source. */
  materialType: MaterialTypeSchema.nullable(),
  classId: z.string().uuid().nullable(),
  location: SourceLocationSchema,
  heading: z.string().nullable(),
  snippet: z.string(),
  score: z.number(),
  matchedBy: z.array(z.enum(['keyword', 'semantic'])),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** The longest search query: a pasted page, which search reads by its first words. */
export const MAX_SEARCH_QUERY = 10_000;

/** A calendar date (read in UTC) or, better, an exact instant the UI made from the student's local day. */
const isoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const libraryProcedures = {
  'materials.list': {
    input: z
      .object({
        /** A class id, 'unfiled' for materials in no class, or leave out for all. */
        classId: z.union([z.string().uuid(), z.literal('unfiled')]).optional(),
        type: MaterialTypeSchema.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0),
      })
      .default({ limit: 200, offset: 0 }),
    output: z.object({ items: z.array(MaterialSchema), total: z.number().int() }),
  },
  'materials.get': { input: z.object({ id: MaterialIdSchema }), output: MaterialSchema },
  /** Starts one import job per file (folders are expanded); duplicates and unreadable files are reported per file. */
  'materials.import': {
    input: z.object({
      classId: z.string().uuid().nullable().default(null),
      sources: z.array(ImportSourceSchema).min(1).max(500),
    }),
    output: z.object({ items: z.array(ImportOutcomeSchema) }),
  },
  'materials.pasteText': {
    input: z.object({
      classId: z.string().uuid().nullable().default(null),
      title: z.string().trim().min(1, 'Give the text a title').max(200),
      text: z.string().trim().min(1, 'There is no text to import').max(500_000),
    }),
    output: ImportOutcomeSchema,
  },
  'materials.update': {
    input: z.object({
      id: MaterialIdSchema,
      patch: z
        .object({
          title: z.string().trim().min(1, 'A material needs a title').max(200),
          classId: z.string().uuid().nullable(),
        })
        .partial()
        .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' }),
    }),
    output: MaterialSchema,
  },
  /** Deletes materials with their pages, chunks, index entries and (when no other material shares it) the file. */
  'materials.delete': {
    input: z.object({ ids: z.array(MaterialIdSchema).min(1).max(1000) }),
    output: z.object({ deleted: z.array(MaterialIdSchema) }),
  },
  'materials.page': {
    input: z.object({ id: MaterialIdSchema, page: z.number().int().min(1) }),
    output: MaterialPageSchema,
  },
  /** The viewer's find: where `text` occurs in the material's pages (case-insensitive), in page order. */
  'materials.find': {
    input: z.object({ id: MaterialIdSchema, text: z.string().trim().min(1).max(500) }),
    output: MaterialFindResultSchema,
  },
  'search.query': {
    input: z.object({
      /** Anything typed or pasted: search reads its first words (fts-query.ts). */
      query: z.string().trim().min(1).max(MAX_SEARCH_QUERY),
      classId: z.union([z.string().uuid(), z.literal('unfiled')]).optional(),
      /** Only these kinds of source (every kind when left out). */
      kinds: z.array(SourceKindSchema).optional(),
      /** Only materials of these types (other kinds of source are left out). */
      types: z.array(MaterialTypeSchema).optional(),
      /** Added (imported, recorded) from or until. */
      importedFrom: isoDate.optional(),
      importedTo: isoDate.optional(),
      mode: z.enum(['hybrid', 'keyword', 'semantic']).default('hybrid'),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    output: z.object({
      hits: z.array(SearchHitSchema),
      /** False when no embedding model is installed: results are by keyword only. */
      semanticAvailable: z.boolean(),
      /** Why nothing was searched for ("Type a few words…"), when the query holds no searchable word. */
      notice: z.string().optional(),
    }),
  },
} as const;

export const libraryEvents = {
  /** Materials were added, changed or removed (import finished, renamed, moved, deleted). */
  'materials.changed': z.object({ ids: z.array(MaterialIdSchema) }),
} as const;
