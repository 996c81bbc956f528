import { stemmer } from 'stemmer';

/**
 * Words as the keyword index sees them: FTS5's unicode61 tokenizer (runs of letters and digits,
 * lower-cased, diacritics removed) followed by its porter stemmer, which `stemmer` implements
 * identically (a test compares them word by word). Search uses this to weigh what the index
 * matched: which of a question's words a passage holds, where, and in what order.
 */
export interface Term {
  /** The word lower-cased, without diacritics. */
  word: string;
  /** Its porter stem: what the index stores. */
  stem: string;
  /** Position among the text's words. */
  position: number;
}

/** A run of letters (with their combining marks), digits or private-use characters: a token to unicode61. */
const TOKEN = /[\p{L}\p{N}\p{Co}][\p{L}\p{M}\p{N}\p{Co}]*/gu;
const MARKS = /\p{M}/gu;
/** FTS5's porter tokenizer leaves tokens longer than this as they are. */
const MAX_STEMMED = 64;

/**
 * Words that say how a question is asked, not what it is about: common English function words
 * and the words students open questions and requests with.
 */
const STOP_WORDS = new Set(
  `a about above after again against all also am an and another any are as at be because been before
   being between both but by can could did do does doing done down during each either else ever
   even few for from further get gets got had has have having he her here hers herself him himself
   his how i if in into is it its itself just let me more most much must my myself neither no nor not
   now of off on once only or other ought our ours ourselves out over own per please same shall she
   should so some such than that the their theirs them themselves then there these they this those
   through to too under until up upon us very was we were what whatever when where whether which
   while who whom whose why will with within without would yes yet you your yours yourself
   explain describe define definition tell give list show mean means meaning example examples
   difference happen happens happened thing things something kind`.split(/\s+/),
);

export const isStopWord = (word: string) => STOP_WORDS.has(word);

/** Folds a word as unicode61 with remove_diacritics does. */
export function foldWord(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(MARKS, '').normalize('NFC');
}

export function stemOf(word: string): string {
  return word.length > MAX_STEMMED ? word : stemmer(word);
}

/** The words of `text` in order, folded and stemmed. */
export function termsOf(text: string): Term[] {
  const terms: Term[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const word = foldWord(match[0]);
    if (word) terms.push({ word, stem: stemOf(word), position: terms.length });
  }
  return terms;
}

/** The stems of the words that say what `text` is about, each once, in order of first use. */
export function contentStems(text: string): string[] {
  return [...new Set(termsOf(text).flatMap((term) => (isContentWord(term.word) ? [term.stem] : [])))];
}

/** Not a stop word, nor a lone letter ("s" of "person's"); a lone digit counts. */
export const isContentWord = (word: string) => !isStopWord(word) && (word.length > 1 || /\p{N}/u.test(word));
