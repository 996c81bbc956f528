import { z } from 'zod';
import { ClassIdSchema } from './classes.js';
import { formatClock } from './clock.js';
import { LectureIdSchema } from './lectures.js';

export const NoteIdSchema = z.string().uuid();

/**
 * The most a note holds, in characters of Markdown: about a hundred printed pages. A longer
 * text belongs in the library (import it), where it is read a page at a time.
 */
export const NOTE_MAX_CHARS = 200_000;
export const NOTE_TITLE_MAX_CHARS = 200;
/** What a note is called when the student gave it no title. */
export const UNTITLED_NOTE = 'Untitled note';

const title = z
  .string()
  .trim()
  .max(NOTE_TITLE_MAX_CHARS, `A note's title can be at most ${NOTE_TITLE_MAX_CHARS} characters.`);
const markdown = z
  .string()
  .max(
    NOTE_MAX_CHARS,
    `A note can hold at most ${NOTE_MAX_CHARS.toLocaleString('en')} characters. Split it into two notes, or import the text into the library.`,
  );

/** A note the student wrote: Markdown, in a class (or none), perhaps beside a lecture. */
export const WrittenNoteSchema = z.object({
  id: NoteIdSchema,
  classId: ClassIdSchema.nullable(),
  /** The lecture it was typed beside; its paragraphs may carry stamps (see `noteStamp`). */
  lectureId: LectureIdSchema.nullable(),
  title: z.string(),
  /** Sanitised: no raw HTML, no link or image that is not http(s), mailto or a lecture stamp. */
  markdown: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WrittenNote = z.infer<typeof WrittenNoteSchema>;

/** A note as lists show it: its opening words instead of the whole text. */
export const WrittenNoteSummarySchema = WrittenNoteSchema.omit({ markdown: true }).extend({
  excerpt: z.string(),
});
export type WrittenNoteSummary = z.infer<typeof WrittenNoteSummarySchema>;

export const NoteExportFormatSchema = z.enum(['markdown', 'docx']);
export type NoteExportFormat = z.infer<typeof NoteExportFormatSchema>;

export const notesProcedures = {
  /** Newest first. `classId: null`: notes in no class; left out: every note. */
  'notes.list': {
    input: z
      .object({ classId: ClassIdSchema.nullable().optional(), lectureId: LectureIdSchema.optional() })
      .default({}),
    output: z.array(WrittenNoteSummarySchema),
  },
  'notes.get': { input: z.object({ id: NoteIdSchema }), output: WrittenNoteSchema },
  'notes.create': {
    input: z.object({
      classId: ClassIdSchema.nullable().default(null),
      lectureId: LectureIdSchema.nullable().default(null),
      title: title.default(''),
      markdown: markdown.default(''),
    }),
    output: WrittenNoteSchema,
  },
  /** Only the fields sent change. */
  'notes.update': {
    input: z.object({
      id: NoteIdSchema,
      patch: z
        .object({ title, markdown, classId: ClassIdSchema.nullable() })
        .partial()
        .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' }),
    }),
    output: WrittenNoteSchema,
  },
  'notes.delete': { input: z.object({ id: NoteIdSchema }), output: z.object({ id: NoteIdSchema }) },
  /** The note as a file to save: Markdown as text, DOCX as base64. Sanitised like `notes.get`. */
  'notes.export': {
    input: z.object({ id: NoteIdSchema, format: NoteExportFormatSchema }),
    output: z.object({
      fileName: z.string(),
      mimeType: z.string(),
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
    }),
  },
} as const;

export const notesEvents = {
  'notes.changed': z.object({ ids: z.array(NoteIdSchema) }),
} as const;

/**
 * Lecture stamps: a paragraph typed beside a lecture opens with a link to the second it was typed
 * at, `[12:34](#t=754)`. Plain Markdown, so the stamp travels with its paragraph through every
 * edit, export and copy; the app reads the `#t=` link as "play the lecture from here".
 */
export const STAMP_HREF = /^#t=(\d{1,6})$/;
/** A stamp anywhere in a note's Markdown: the clock text and the second. */
export const STAMP_LINK = /\[(\d{1,3}:\d{2}(?::\d{2})?)\]\(#t=(\d{1,6})\)/g;

/** The second a stamp link points at, or null for any other link. */
export function stampSecond(href: string): number | null {
  const match = STAMP_HREF.exec(href);
  return match ? Number(match[1]) : null;
}

export const stampHref = (second: number) => `#t=${Math.max(0, Math.floor(second))}`;

/** The stamp that opens a paragraph typed at `second` of a lecture, as Markdown. */
export const noteStamp = (second: number) => `[${formatClock(second * 1000)}](${stampHref(second)})`;
