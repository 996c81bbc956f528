import { z } from 'zod';

/**
 * What search indexes and what hits, tutor citations, notes and cards point back to: a
 * material, a lecture (its transcript), a note or a card, by id in the domain that owns it.
 */
export const SOURCE_KINDS = ['material', 'lecture', 'note', 'card'] as const;
export const SourceKindSchema = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKindSchema>;

export const SourceRefSchema = z.object({ kind: SourceKindSchema, id: z.string().uuid() });
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** A character range of one page's text (`field: 'notes'`: of the slide's speaker notes). */
export const ChunkSpanSchema = z.object({
  page: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  /** Set when the range is in the slide's speaker notes rather than its text. */
  field: z.literal('notes').optional(),
});
export type ChunkSpan = z.infer<typeof ChunkSpanSchema>;

/** Where a passage of a paged source is: its pages and the exact ranges of their text. */
export const PageLocationSchema = z.object({
  kind: z.literal('pages'),
  pageStart: z.number().int().nullable(),
  pageEnd: z.number().int().nullable(),
  spans: z.array(ChunkSpanSchema),
});

/** Where a passage of a recording is, in seconds. */
export const TimeLocationSchema = z.object({
  kind: z.literal('time'),
  startSec: z.number(),
  endSec: z.number(),
});

/** Where in its source a passage sits; which form depends on the source's kind. */
export const SourceLocationSchema = z.discriminatedUnion('kind', [PageLocationSchema, TimeLocationSchema]);
export type SourceLocation = z.infer<typeof SourceLocationSchema>;
export type PageLocation = z.infer<typeof PageLocationSchema>;
export type TimeLocation = z.infer<typeof TimeLocationSchema>;
