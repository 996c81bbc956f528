import type { Passage } from '../../search/hybrid-search.js';

/** A passage as generation reads it: labelled `S<n>` in the prompt, where the model cites it. */
export interface LabelledPassage extends Passage {
  label: string;
}

/** Consecutive passages that fit one prompt, and the number of items asked of them. */
export interface Section {
  passages: LabelledPassage[];
  tokens: number;
  items: number;
}

/**
 * Source tokens per prompt, by the model's context size. A small model (4K context: the 1-2B models
 * for 4-8 GB laptops) reads about 1,200 tokens of source per section so its answer still fits; a
 * 8K model 2,500; larger ones 5,000. Larger sections also mean fewer calls, and each call
 * re-reads the instructions.
 */
export const SECTION_TOKENS_BY_CONTEXT: readonly { upTo: number; sectionTokens: number }[] = [
  { upTo: 4096, sectionTokens: 1200 },
  { upTo: 8192, sectionTokens: 2500 },
  { upTo: Number.POSITIVE_INFINITY, sectionTokens: 5000 },
];

export function sectionTokensFor(contextTokens: number): number {
  return SECTION_TOKENS_BY_CONTEXT.find((row) => contextTokens <= row.upTo)!.sectionTokens;
}

/** Passages of a page range (1-based, inclusive; null: open); lectures and unpaged text pass whole. */
export function inPageRange(
  passages: Passage[],
  pageStart: number | null,
  pageEnd: number | null,
): Passage[] {
  if (pageStart === null && pageEnd === null) return passages;
  return passages.filter((passage) => {
    const { location } = passage;
    if (location.kind !== 'pages' || location.pageStart === null) return false;
    const last = location.pageEnd ?? location.pageStart;
    return (pageStart === null || last >= pageStart) && (pageEnd === null || location.pageStart <= pageEnd);
  });
}

/**
 * Cuts passages (each kept whole, in order) into sections of at most `sectionTokens`, and shares
 * `count` items among them by their size, at most `maxItemsPerSection` each (what one answer has
 * room for); sections left without an item are not sent. Labels run across sections, so every
 * passage has one label.
 */
export function cutSections(
  passages: (Passage & { tokens: number })[],
  sectionTokens: number,
  count: number,
  maxItemsPerSection: number,
): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  passages.forEach((passage, i) => {
    const { tokens, ...rest } = passage;
    if (!current || (current.tokens + tokens > sectionTokens && current.passages.length > 0)) {
      current = { passages: [], tokens: 0, items: 0 };
      sections.push(current);
    }
    current.passages.push({ ...rest, label: `S${i + 1}` });
    current.tokens += tokens;
  });
  if (count < sections.length) {
    // Fewer items than sections: one each from sections spread over the whole source, not its start.
    for (let i = 0; i < count; i += 1) sections[Math.floor(((i + 0.5) * sections.length) / count)]!.items = 1;
    return sections.filter((section) => section.items > 0);
  }
  const total = sections.reduce((sum, section) => sum + section.tokens, 0);
  let left = count;
  for (const section of sections) {
    const share = Math.round((count * section.tokens) / Math.max(1, total));
    section.items = Math.min(maxItemsPerSection, Math.max(1, share), Math.max(0, left));
    left -= section.items;
  }
  // Rounding may leave items unasked: the sections with room take them, in order.
  for (const section of sections) {
    const more = Math.min(left, maxItemsPerSection - section.items);
    section.items += more;
    left -= more;
  }
  return sections.filter((section) => section.items > 0);
}
