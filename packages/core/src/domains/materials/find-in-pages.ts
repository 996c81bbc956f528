import { MAX_FIND_MATCHES, type MaterialFindResult } from '../../contract/index.js';

/**
 * Where `text` occurs in the pages, as the viewer's find needs it: ignoring case, and with any run
 * of spaces in what was typed matching any run of white space (the page's lines break mid-phrase).
 */
export function findInPages(
  pages: Iterable<{ pageNumber: number; text: string }>,
  text: string,
  limit = MAX_FIND_MATCHES,
): MaterialFindResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const matches: MaterialFindResult['matches'] = [];
  if (words.length === 0) return { matches, truncated: false };
  const pattern = new RegExp(words.map(escapeRegExp).join('\\s+'), 'giu');
  for (const page of pages) {
    for (const match of page.text.matchAll(pattern)) {
      if (matches.length === limit) return { matches, truncated: true };
      matches.push({ page: page.pageNumber, start: match.index, end: match.index + match[0].length });
    }
  }
  return { matches, truncated: false };
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
