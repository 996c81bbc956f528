/** Words that are capitalised at the start of a sentence, not because they are names. */
const COMMON = new Set(
  'The This That These Those There Then When What Which Where While With Without From Into For And But Or If In On At By As It Its We Our You Your They Their He She His Her A An Of To Is Are Was Were Be Been Has Have Had Not No Yes So Such Each Every Some Many Most More Also Both All One Two Three First Second Figure Table Section Chapter Page'.split(
    ' ',
  ),
);
const MAX_TERMS = 40;
/** Whisper reads at most 224 prompt tokens; a glossary of about this many characters stays within. */
const MAX_CHARS = 600;

/**
 * Names and terms from a class's material for whisper's initial prompt, so "TraceMonkey" is not
 * heard as "trace monkey": capitalised words that are not sentence openers, words mixing case or
 * digits, and long rare words, most frequent first.
 */
export function classVocabulary(texts: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.matchAll(/[\p{L}][\p{L}\p{N}'’-]*[\p{L}\p{N}]/gu)) {
      const word = match[0];
      if (!isTerm(word)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const terms: string[] = [];
  let chars = 0;
  for (const [word] of [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    if (terms.length >= MAX_TERMS || chars + word.length + 2 > MAX_CHARS) break;
    terms.push(word);
    chars += word.length + 2;
  }
  return terms;
}

function isTerm(word: string): boolean {
  if (word.length < 3 || COMMON.has(word)) return false;
  const mixedCase = /\p{Ll}/u.test(word) && /\p{Lu}/u.test(word.slice(1));
  const capitalised = /^\p{Lu}/u.test(word);
  const acronym = word.length <= 8 && word === word.toUpperCase() && /\p{Lu}{2}/u.test(word);
  const withDigits = /\p{N}/u.test(word);
  return mixedCase || capitalised || acronym || withDigits || word.length >= 12;
}

/** The initial prompt: a short glossary line whisper's decoder conditions on. */
export const vocabularyPrompt = (terms: string[]) =>
  terms.length > 0 ? `Glossary: ${terms.join(', ')}.` : '';
