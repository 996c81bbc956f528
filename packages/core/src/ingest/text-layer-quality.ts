/**
 * Whether a PDF page's text layer can be trusted, or the page must be read by OCR instead.
 *
 * Measured on the shared fixtures: every page of tracemonkey.pdf has no control, private-use or
 * replacement characters and 86-98% of its words look like words; pages 2-22 of TAMReview.pdf
 * (glyphs without a Unicode mapping) are 63-92% such characters, pages 1 and 23 are clean.
 * The thresholds sit far from both.
 */
export type TextLayerVerdict =
  { usable: true } | { usable: false; reason: 'no-text' | 'unmapped-glyphs' | 'not-words' };

/** Fewer visible characters than this is a scanned page (perhaps with a page number), not text. */
const MIN_CHARACTERS = 20;
const MAX_UNMAPPED_SHARE = 0.1;
const MIN_WORD_SHARE = 0.4;
const MIN_TOKENS_TO_JUDGE_WORDS = 10;

/** Control characters, private-use code points, unassigned ones and U+FFFD: what unmapped glyphs become. */
const UNMAPPED = /[\p{Cc}\p{Co}\p{Cn}\uFFFD]/gu;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const LATIN_LETTER = /\p{Script=Latin}/u;
const VOWEL = /[aeiouyAEIOUYàâäéèêëîïôöùûüÿæœÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒáíóúñÁÍÓÚÑ]/u;

export function assessTextLayer(text: string): TextLayerVerdict {
  // Counted by regular expressions rather than an array of characters: this runs on every page.
  const visible = text.replace(/\s+/g, '');
  const characters = visible.length - (visible.match(SURROGATE_PAIR)?.length ?? 0);
  if (characters < MIN_CHARACTERS) return { usable: false, reason: 'no-text' };
  const unmapped = visible.match(UNMAPPED)?.length ?? 0;
  if (unmapped / characters > MAX_UNMAPPED_SHARE) return { usable: false, reason: 'unmapped-glyphs' };
  const tokens = text
    .split(/\s+/)
    .map((token) => token.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter((token) => /\p{L}/u.test(token));
  if (tokens.length >= MIN_TOKENS_TO_JUDGE_WORDS) {
    const wordLike = tokens.filter(looksLikeWord).length;
    if (wordLike / tokens.length < MIN_WORD_SHARE) return { usable: false, reason: 'not-words' };
  }
  return { usable: true };
}

/** Latin-script words have a vowel and a sane length; other scripts are given the benefit of the doubt. */
function looksLikeWord(token: string): boolean {
  if (!LATIN_LETTER.test(token)) return true;
  return token.length <= 25 && VOWEL.test(token) && /^[\p{L}\p{M}'’\-.]+$/u.test(token);
}
