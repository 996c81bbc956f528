import type { GeneratedContent } from '../../contract/index.js';

/** What an item asks, as words: two items asking the same thing share most of them. */
export function promptWords(content: GeneratedContent): Set<string> {
  const asked =
    content.type === 'true-false'
      ? content.statement
      : content.type === 'basic'
        ? content.front
        : content.type === 'cloze'
          ? content.text
          : content.question;
  return new Set(asked.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Share of words two sets have in common (Jaccard). */
const overlap = (a: Set<string>, b: Set<string>) => {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / Math.max(1, a.size + b.size - shared);
};

/** Items that share this much of their wording ask the same thing (sections overlap in content). */
const SAME_QUESTION = 0.8;

/** The reduce step: keeps the first of each group of items asking the same thing, in order. */
export function distinctItems<T extends { content: GeneratedContent }>(items: T[]): T[] {
  const kept: { item: T; words: Set<string> }[] = [];
  for (const item of items) {
    const words = promptWords(item.content);
    if (
      kept.some(
        (other) =>
          other.item.content.type === item.content.type && overlap(words, other.words) >= SAME_QUESTION,
      )
    )
      continue;
    kept.push({ item, words });
  }
  return kept.map(({ item }) => item);
}
