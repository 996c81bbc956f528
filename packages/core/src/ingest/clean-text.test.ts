import { describe, expect, it } from 'vitest';
import { cleanText, HyphenationVocabulary, type CleanedText } from './clean-text.js';

const clean = (raw: string, options = {}) => cleanText(raw, options).text;

/** Every character the cleaning kept maps back to itself in the original, and offsets never go back. */
function expectAligned(raw: string, cleaned: CleanedText): void {
  let previous = 0;
  for (let offset = 0; offset <= cleaned.text.length; offset++) {
    const original = cleaned.toOriginal(offset);
    expect(original).toBeGreaterThanOrEqual(previous);
    previous = original;
  }
  previous = 0;
  for (let offset = 0; offset <= raw.length; offset++) {
    const at = cleaned.toCleaned(offset);
    expect(at).toBeGreaterThanOrEqual(previous);
    previous = at;
  }
  for (const match of cleaned.text.matchAll(/[a-z]+/g)) {
    const start = cleaned.toOriginal(match.index);
    const end = cleaned.toOriginal(match.index + match[0].length, 'end');
    expect(
      raw
        .slice(start, end)
        .normalize('NFKC')
        .replace(/[^a-z]/g, ''),
    ).toBe(match[0]);
  }
}

describe('cleanText', () => {
  it('turns ligatures and other compatibility characters into plain letters (NFKC)', () => {
    expect(clean('the ﬁrst ﬂow is eﬃcient — ﬀ')).toBe('the first flow is efficient — ff');
    expect(clean('ＡＢＣ ｆｕｌｌ width')).toBe('ABC full width');
  });

  it('keeps superscripts, subscripts and fractions as written', () => {
    expect(clean('x² + y³ = ½ of H₂O')).toBe('x² + y³ = ½ of H₂O');
  });

  it('puts the spacing accents pdf.js leaves back on their letters', () => {
    const options = { repairAccents: true };
    expect(clean('In a na¨ıve implementation', options)).toBe('In a naïve implementation');
    expect(clean('r´esum´e and caf´e', options)).toBe('résumé and café');
    expect(clean('Franc¸ois and ˆetre', options)).toBe('François and être');
    // Not where nothing suggests an accented letter: a lone mark, or before a space.
    expect(clean('a ¨ b and x´ y', options)).toBe('a ¨ b and x´ y');
  });

  it('leaves accents alone in typed documents, where a lone mark is meant', () => {
    expect(clean('na¨ıve')).toBe('na¨ıve');
  });

  it('joins words split by a hyphen at the end of a line', () => {
    expect(clean('a form of unintended tail duplica-\ntion, which can')).toBe(
      'a form of unintended tail duplication, which can',
    );
    expect(clean('the inter-  \n  preter')).toBe('the interpreter');
  });

  it('keeps the hyphen of a compound broken at a line end', () => {
    const text = 'efficient type-\nspecialized code; type-specialized traces';
    expect(clean(text)).toBe('efficient type-specialized code; type-specialized traces');
    // Both halves are words of the document: a compound, not a split word.
    expect(clean('a language-\nindependent backend for any language that is independent')).toBe(
      'a language-independent backend for any language that is independent',
    );
  });

  it('joins a split name the document spells whole elsewhere', () => {
    expect(clean('We call it Trace-\nMonkey. TraceMonkey is fast')).toBe(
      'We call it TraceMonkey. TraceMonkey is fast',
    );
  });

  it('decides with the whole document when given its vocabulary', () => {
    const vocabulary = new HyphenationVocabulary(['page one says floating-point numbers']);
    expect(clean('a floating-\npoint value', { vocabulary })).toBe('a floating-point value');
  });

  it('keeps a hyphen before digits or at the end of a list line', () => {
    expect(clean('IEEE-\n754 doubles')).toBe('IEEE-\n754 doubles');
    expect(clean('items:\n-\nnext')).toBe('items:\n-\nnext');
  });

  it('removes soft hyphens and invisible characters', () => {
    expect(clean('hyphen\u00adation and exam\u00ad\nple')).toBe('hyphenation and example');
    expect(clean('zero\u200bwidth\ufeff and a bell\u0007')).toBe('zerowidth and a bell');
  });

  it('tidies whitespace but keeps paragraphs and indentation', () => {
    expect(clean('a  \t b\u00a0\u00a0c   \r\n\r\n\r\n\n  d  \n')).toBe('a b c\n\n  d\n');
    expect(clean('line one\rline two\u2028three')).toBe('line one\nline two\nthree');
  });

  it('gives the same text when run again (safe to re-clean stored pages)', () => {
    const samples = [
      'na¨ıve duplica-\ntion ﬁne  text\r\n\r\n\r\nnext',
      'type-\nspecialized type-specialized',
      'exam\u00ad\nple   x²',
    ];
    for (const sample of samples) {
      const once = clean(sample, { repairAccents: true });
      expect(clean(once, { repairAccents: true })).toBe(once);
    }
  });

  it('maps offsets between the cleaned and the original text', () => {
    const raw = 'A na¨ıve ﬁx: tail duplica-\ntion  here';
    const cleaned = cleanText(raw, { repairAccents: true });
    expect(cleaned.text).toBe('A naïve fix: tail duplication here');
    expectAligned(raw, cleaned);
    const word = (text: string, what: string) => text.indexOf(what);
    // "duplication" spans both halves of the original.
    const start = word(cleaned.text, 'duplication');
    expect(
      raw.slice(cleaned.toOriginal(start), cleaned.toOriginal(start + 'duplication'.length, 'end')),
    ).toBe('duplica-\ntion');
    // The second half's first letter lands inside the cleaned word.
    const secondHalf = cleaned.toCleaned(raw.indexOf('tion'));
    expect(secondHalf).toBeGreaterThan(start);
    expect(secondHalf).toBeLessThan(start + 'duplication'.length);
    // A ligature maps as a whole, a dropped space to where the text goes on.
    expect(cleaned.toOriginal(word(cleaned.text, 'fix'))).toBe(raw.indexOf('ﬁx'));
    expect(cleaned.toCleaned(raw.indexOf('here') - 1)).toBe(word(cleaned.text, 'here') - 1);
    expect(cleaned.toCleaned(raw.length)).toBe(cleaned.text.length);
    expect(cleaned.toOriginal(cleaned.text.length)).toBe(raw.length);
  });
});
