import { foldWord, isContentWord, stemOf } from './keyword-terms.js';

/**
 * FTS5 MATCH expressions built from what the student typed or asked. The user's text never
 * reaches FTS5 syntax: only runs of letters and digits are kept, each inside double quotes (which
 * those runs cannot contain), so quotes, `-`, `*`, `:`, `^`, parentheses, AND/OR/NOT/NEAR are
 * plain words or nothing. A phrase in double quotes stays a phrase, and must match.
 *
 * A question is mostly words that say how it is asked ("what is", "how does"): those are left
 * out, and the words that say what it is about are OR-ed, so a passage holding some of them is
 * found and ranking (keyword-ranking.ts) decides which holds most, nearest together.
 */
export interface QueryTerm {
  /** As typed, lower-cased, without diacritics. */
  word: string;
  /** Its porter stem, as the index stores it. */
  stem: string;
  /** The word being typed: it also matches longer words it begins. */
  prefix: boolean;
}

export interface KeywordQuery {
  /** The MATCH expression: any of the terms, and every phrase. */
  expression: string;
  /** The content words, each once (by stem), in the order given. */
  terms: QueryTerm[];
  /** Phrases the student put in quotes, each a list of its words. */
  phrases: QueryTerm[][];
}

/** Why a text cannot be searched: nothing in it is a word, or only words too common to search. */
export type UnsearchableReason = 'no-words' | 'common-words-only';

export const UNSEARCHABLE_MESSAGES: Record<UnsearchableReason, string> = {
  'no-words': 'Type a few words to search for.',
  'common-words-only': 'Those words are too common to search for. Type a few words about the topic.',
};

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const PHRASE = /["“”„]([^"“”„]*)["“”]?/g;
/** A partial last word shorter than this is matched exactly: a 1-2 letter prefix matches half the index. */
const MIN_PREFIX = 3;
/** Porter stems "tracing" to "trace", so a half-typed "traci" only matches through a shorter prefix. */
const MIN_STEM_PREFIX = 4;
/** A pasted page of text is searched by its first words; the rest adds time, not precision. */
const MAX_TERMS = 32;

/**
 * `prefixLast`: the student is still typing the last word (search as you type), so it also
 * matches words it begins. Returns the reason instead when the text holds nothing to search for.
 */
export function buildKeywordQuery(
  text: string,
  { prefixLast = false } = {},
): KeywordQuery | { unsearchable: UnsearchableReason } {
  const phrases: QueryTerm[][] = [];
  let rest = '';
  let last = 0;
  for (const match of text.matchAll(PHRASE)) {
    rest += text.slice(last, match.index) + ' ';
    const words = wordsOf(match[1]!)
      .slice(0, MAX_TERMS)
      .map((word) => term(word, false));
    if (words.length > 0 && phrases.length < MAX_TERMS) phrases.push(words);
    last = match.index + match[0].length;
  }
  rest += text.slice(last);
  const bare = wordsOf(rest);
  // The last word typed is the one being typed, unless a space or a closing quote followed it.
  const typing = prefixLast && last < text.length && /[\p{L}\p{M}\p{N}]$/u.test(text) && bare.length > 0;
  const terms: QueryTerm[] = [];
  bare.forEach((word, i) => {
    const prefix = typing && i === bare.length - 1 && [...word].length >= MIN_PREFIX;
    if (!prefix && !isContentWord(word)) return;
    const candidate = term(word, prefix);
    if (terms.length < MAX_TERMS && !terms.some((other) => other.stem === candidate.stem && !other.prefix))
      terms.push(candidate);
  });
  if (terms.length === 0 && phrases.length === 0) {
    return { unsearchable: bare.length > 0 ? 'common-words-only' : 'no-words' };
  }
  const any = terms.map((t) => (t.prefix ? prefixExpression(t.word) : quoted([t.word])));
  const anyExpression = any.length > 1 ? `(${any.join(' OR ')})` : any[0];
  // Explicit AND: FTS5's implicit AND does not accept a parenthesised group.
  const expression = [
    ...(anyExpression ? [anyExpression] : []),
    ...phrases.map((p) => quoted(p.map((t) => t.word))),
  ].join(' AND ');
  return { expression, terms, phrases };
}

export const isSearchable = (query: ReturnType<typeof buildKeywordQuery>): query is KeywordQuery =>
  !('unsearchable' in query);

function wordsOf(text: string): string[] {
  return [...text.normalize('NFC').matchAll(WORD)].map((match) => foldWord(match[0])).filter(Boolean);
}

const term = (word: string, prefix: boolean): QueryTerm => ({ word, stem: stemOf(word), prefix });

const quoted = (words: string[]) => `"${words.join(' ')}"`;

function prefixExpression(word: string): string {
  const prefixes = [word];
  for (let cut = 1; cut <= 2; cut++) {
    const shorter = [...word].slice(0, -cut).join('');
    if ([...shorter].length >= MIN_STEM_PREFIX) prefixes.push(shorter);
  }
  return prefixes.length === 1 ? `"${word}"*` : `(${prefixes.map((prefix) => `"${prefix}"*`).join(' OR ')})`;
}
