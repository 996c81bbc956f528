import type { ExtractedPage } from '../ingest/extracted-document.js';

/** Which text of a page a range points into: the page's text, or a slide's speaker notes. */
export type PageField = 'text' | 'notes';

/** A structural piece of a page: a heading, or a run of body text (paragraph, list, table...). */
export interface Segment {
  page: number;
  field: PageField;
  kind: 'heading' | 'body';
  /** Heading level, 1 = title. */
  level: number;
  start: number;
  end: number;
}

/**
 * The headings and body runs of one page's text in reading order, trimmed of surrounding
 * whitespace. Uses the importer's blocks when there are any; text the blocks leave out is kept
 * as body, so nothing on the page is lost to search. Without blocks, blank lines separate
 * paragraphs.
 */
export function pageSegments(page: ExtractedPage): Segment[] {
  const segments: Segment[] = [];
  const blocks = [...page.blocks].sort((a, b) => a.start - b.start);
  let covered = 0;
  for (const block of blocks) {
    const start = Math.max(block.start, covered);
    const end = Math.min(block.end, page.text.length);
    if (end <= start) continue;
    segments.push(...paragraphs(page, 'text', covered, start));
    const kind = block.kind === 'heading' ? 'heading' : 'body';
    const segment = trimmed(page.number, 'text', page.text, start, end, kind, block.level ?? 1);
    if (segment) segments.push(segment);
    covered = end;
  }
  segments.push(...paragraphs(page, 'text', covered, page.text.length));
  return segments;
}

/** A slide's speaker notes as body paragraphs, ranges pointing into `notes`. */
export function noteSegments(page: ExtractedPage): Segment[] {
  return page.notes ? paragraphs(page, 'notes', 0, page.notes.length) : [];
}

function paragraphs(page: ExtractedPage, field: PageField, from: number, to: number): Segment[] {
  const source = field === 'notes' ? (page.notes ?? '') : page.text;
  const found: Segment[] = [];
  const breaks = /\n[ \t]*\n\s*/g;
  breaks.lastIndex = from;
  let start = from;
  for (let match = breaks.exec(source); match && match.index < to; match = breaks.exec(source)) {
    const segment = trimmed(page.number, field, source, start, match.index, 'body', 0);
    if (segment) found.push(segment);
    start = match.index + match[0].length;
  }
  const last = trimmed(page.number, field, source, start, to, 'body', 0);
  if (last) found.push(last);
  return found;
}

function trimmed(
  page: number,
  field: PageField,
  source: string,
  start: number,
  end: number,
  kind: Segment['kind'],
  level: number,
): Segment | undefined {
  while (start < end && /\s/.test(source[start]!)) start++;
  while (end > start && /\s/.test(source[end - 1]!)) end--;
  return end > start ? { page, field, kind, level, start, end } : undefined;
}
