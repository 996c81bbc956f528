/**
 * FTS5 MATCH expressions built from what the student typed. The user's text never reaches FTS5
 * syntax: only runs of letters and digits are kept, each inside double quotes (which those runs
 * cannot contain), so quotes, `-`, `*`, `:`, `^`, parentheses, AND/OR/NOT/NEAR are plain words
 * or nothing. A phrase in double quotes stays a phrase.
 */
export interface KeywordQuery {
  /** Every term must match. */
  all: string;
  /** Any non-stopword term may match; null when that is the same as `all`. */
  any: string | null;
  /** The words searched for, lower-cased (for highlighting elsewhere). */
  words: string[];
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const PHRASE = /["“”„]([^"“”„]*)["“”]?/g;
/** A partial last word shorter than this is matched exactly: a 1-2 letter prefix matches half the index. */
const MIN_PREFIX = 3;
/** Porter stems "tracing" to "trace", so a half-typed "traci" only matches through a shorter prefix. */
const MIN_STEM_PREFIX = 4;

const STOPWORDS = new Set(
  'a an and are as at be but by for from has have in is it its of on or that the this to was were will with'.split(
    ' ',
  ),
);

interface Term {
  words: string[];
  phrase: boolean;
}

/**
 * `prefixLast`: the student is still typing the last word (search as you type), so it also
 * matches words it begins. Returns null when the text holds no searchable word.
 */
export function buildKeywordQuery(text: string, { prefixLast = false } = {}): KeywordQuery | null {
  const terms: Term[] = [];
  let rest = '';
  let last = 0;
  for (const match of text.matchAll(PHRASE)) {
    rest += text.slice(last, match.index) + ' ';
    const words = wordsOf(match[1]!);
    if (words.length > 0) terms.push({ words, phrase: true });
    last = match.index + match[0].length;
  }
  rest += text.slice(last);
  const bare = wordsOf(rest).map((word) => ({ words: [word], phrase: false }));
  // Bare words keep their order after the phrases; the last one typed is the one being typed.
  const endsInWord = prefixLast && /[\p{L}\p{M}\p{N}]$/u.test(text) && bare.length > 0 && last < text.length;
  const ordered = [...terms, ...bare];
  if (ordered.length === 0) return null;

  const expressions = ordered.map((term, i) =>
    endsInWord && i === ordered.length - 1 ? prefixExpression(term.words[0]!) : quoted(term.words),
  );
  // Explicit AND: FTS5's implicit AND does not accept a parenthesised group.
  const all = expressions.join(' AND ');
  const meaningful = ordered
    .map((term, i) => ({ term, expression: expressions[i]! }))
    .filter(({ term }) => term.phrase || !STOPWORDS.has(term.words[0]!));
  const anyTerms =
    meaningful.length > 0 ? meaningful : ordered.map((term, i) => ({ term, expression: expressions[i]! }));
  const any = anyTerms.length > 1 ? anyTerms.map(({ expression }) => expression).join(' OR ') : null;
  return { all, any: any === all ? null : any, words: ordered.flatMap((term) => term.words) };
}

function wordsOf(text: string): string[] {
  return [...text.normalize('NFC').matchAll(WORD)].map((match) => match[0].toLowerCase());
}

const quoted = (words: string[]) => `"${words.join(' ')}"`;

function prefixExpression(word: string): string {
  if ([...word].length < MIN_PREFIX) return quoted([word]);
  const prefixes = [word];
  for (let cut = 1; cut <= 2; cut++) {
    const shorter = [...word].slice(0, -cut).join('');
    if ([...shorter].length >= MIN_STEM_PREFIX) prefixes.push(shorter);
  }
  return prefixes.length === 1 ? `"${word}"*` : `(${prefixes.map((prefix) => `"${prefix}"*`).join(' OR ')})`;
}
