/**
 * Citations are `[n]` markers the model writes after a claim, n being a numbered source of the
 * prompt. Models also write `[1, 2]`, `[1][2]` and `[1-2]`; numbers with no source behind them
 * (invented, or out of range) are removed so no chip ever points nowhere.
 */
const CITATION_GROUP = /\s?(?<![\w)])\[(\d+(?:\s*[,;–-]\s*\d+)*)\]/g;
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
    prose.replace(CITATION_GROUP, (whole, inner: string) => {
      const valid = expandGroup(inner).filter((n) => n >= 1 && n <= sourceCount);
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
  outsideCode(text, (prose) => prose.replace(CITATION_GROUP, ''));

/** Applies `change` to the parts of `text` that are not code. */
function outsideCode(text: string, change: (prose: string) => string): string {
  return text
    .split(CODE)
    .map((part, index) => (index % 2 === 1 ? part : change(part)))
    .join('');
}

function expandGroup(inner: string): number[] {
  const numbers: number[] = [];
  for (const part of inner.split(/\s*[,;]\s*/)) {
    const range = /^(\d+)\s*[–-]\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      // A range is short in practice; a long one is not a citation of every source between.
      if (to >= from && to - from < 10) for (let n = from; n <= to; n++) numbers.push(n);
    } else {
      numbers.push(Number(part));
    }
  }
  return [...new Set(numbers)];
}
