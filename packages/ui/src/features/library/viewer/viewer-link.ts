/** A character range of one page's text, as search hits give them. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
  /** A range of the slide's speaker notes, not of its text. */
  field?: 'notes';
}

/**
 * The viewer's address: `/library/<id>?page=6&hl=6:120-240,7:0-35`. The spans to highlight
 * travel in the address, so a search hit or a citation opens the page with its text marked,
 * and Back returns to it.
 */
export function viewerPath(
  materialId: string,
  options: { page?: number | null; spans?: readonly PageSpan[] } = {},
): string {
  const params = new URLSearchParams();
  const page = options.page ?? options.spans?.[0]?.page;
  if (page) params.set('page', String(page));
  // Notes ranges count characters of the notes, so they cannot mark the page's text.
  const onPageText = options.spans?.filter((span) => span.field !== 'notes') ?? [];
  if (onPageText.length) params.set('hl', encodeSpans(onPageText));
  const query = params.toString();
  return `/library/${materialId}${query ? `?${query}` : ''}`;
}

export const encodeSpans = (spans: readonly PageSpan[]) =>
  spans.map((span) => `${span.page}:${span.start}-${span.end}`).join(',');

/** Reads `hl`; anything malformed is skipped rather than failing the page. */
export function decodeSpans(value: string | null): PageSpan[] {
  if (!value) return [];
  const spans: PageSpan[] = [];
  for (const part of value.split(',')) {
    const match = /^(\d+):(\d+)-(\d+)$/.exec(part.trim());
    if (!match) continue;
    const [page, start, end] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (page >= 1 && end > start) spans.push({ page, start, end });
  }
  return spans;
}
