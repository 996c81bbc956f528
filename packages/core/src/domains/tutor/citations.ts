import { CITATION_GROUP, CITATION_START, citedNumbers } from '../../contract/index.js';

/**
 * A citation with the space before it (the grammar is the contract's). Numbers with no source
 * behind them (invented, or out of range) are removed so no chip ever points nowhere.
 */
const CITATION = new RegExp(String.raw`\s?${CITATION_START}${CITATION_GROUP}`, 'g');
/** Code (fenced blocks, inline spans) is left as written: `a[0]` there is an index, not a citation. */
const CODE = /(```[\s\S]*?(?:```|$)|`[^`\n]*`)/;

export interface CitedText {
  text: string;
  /** Source numbers the text cites, in order of first use. */
  cited: number[];
}

/** Keeps citations of sources 1..sourceCount (normalised to `[n]` each) and drops the rest. */
export function resolveCitations(text: string, sourceCount: number): CitedText {
  const cited: number[] = [];
  const resolved = outsideCode(text, (prose) =>
    prose.replace(CITATION, (whole) => {
      const valid = citedNumbers(whole).filter((n) => n >= 1 && n <= sourceCount);
      if (valid.length === 0) return '';
      for (const n of valid) if (!cited.includes(n)) cited.push(n);
      const leadingSpace = whole.startsWith('[') ? '' : whole[0];
      return leadingSpace + valid.map((n) => `[${n}]`).join('');
    }),
  );
  return { text: resolved, cited };
}

/** The text without any citation markers (earlier answers go back to the model without them). */
export const withoutCitations = (text: string): string =>
  outsideCode(text, (prose) => prose.replace(CITATION, ''));

/** Applies `change` to the parts of `text` that are not code. */
function outsideCode(text: string, change: (prose: string) => string): string {
  return text
    .split(CODE)
    .map((part, index) => (index % 2 === 1 ? part : change(part)))
    .join('');
}
