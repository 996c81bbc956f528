/**
 * Cloze deletions in Anki's syntax: `{{c1::answer}}`, `{{c1::answer::hint}}`, one deletion for
 * several cards (`{{c1,2::…}}`) and deletions nested inside others. Each distinct number makes
 * one card. A `}}` outside any deletion is plain text (LaTeX and code use it); an opened deletion
 * that never closes is an error, because the card it makes would show half the note.
 */

export type ClozeNode = { kind: 'text'; text: string } | ClozeDeletion;

export interface ClozeDeletion {
  kind: 'cloze';
  /** The card numbers this deletion hides on (usually one). */
  numbers: number[];
  hint: string | null;
  children: ClozeNode[];
}

export class ClozeSyntaxError extends Error {
  constructor(
    message: string,
    /** Character offset of the deletion that is wrong, for the editor to point at. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ClozeSyntaxError';
  }
}

/** Deeper nesting than this is treated as text, as Anki does, so a pathological note stays cheap. */
const MAX_DEPTH = 10;
const OPEN = /\{\{c([\d,]+)::/y;

interface OpenDeletion extends ClozeDeletion {
  offset: number;
}

/** Parses `text` into text and deletions; throws `ClozeSyntaxError` for a deletion left open. */
export function parseCloze(text: string): ClozeNode[] {
  const root: ClozeNode[] = [];
  const open: OpenDeletion[] = [];
  let plain = '';
  const flush = () => {
    if (!plain) return;
    const target = open.at(-1);
    if (target) {
      // Anki's rule: the deletion's own text after its first `::` is the hint.
      const split = target.hint === null ? plain.indexOf('::') : -1;
      if (split >= 0) {
        target.hint = plain.slice(split + 2);
        plain = plain.slice(0, split);
      }
      if (plain) target.children.push({ kind: 'text', text: plain });
    } else {
      root.push({ kind: 'text', text: plain });
    }
    plain = '';
  };
  let index = 0;
  while (index < text.length) {
    OPEN.lastIndex = index;
    const opening = OPEN.exec(text);
    const numbers = opening ? clozeNumbersOf(opening[1]!) : [];
    if (opening && numbers.length > 0 && open.length < MAX_DEPTH) {
      flush();
      open.push({ kind: 'cloze', numbers, hint: null, children: [], offset: index });
      index += opening[0].length;
    } else if (text.startsWith('}}', index) && open.length > 0) {
      flush();
      const { offset: _offset, ...closed } = open.pop()!;
      (open.at(-1)?.children ?? root).push(closed);
      index += 2;
    } else {
      plain += text[index];
      index += 1;
    }
  }
  const unclosed = open[0];
  if (unclosed) {
    const excerpt = text.slice(unclosed.offset, unclosed.offset + 40);
    throw new ClozeSyntaxError(
      `The cloze "${excerpt}${text.length > unclosed.offset + 40 ? '…' : ''}" is never closed: add "}}" where its answer ends.`,
      unclosed.offset,
    );
  }
  flush();
  return root;
}

function clozeNumbersOf(list: string): number[] {
  const numbers = list
    .split(',')
    .filter((part) => part !== '')
    .map(Number)
    .filter((number) => Number.isInteger(number) && number > 0);
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** The distinct card numbers in `nodes`, ascending: one card each. */
export function clozeCardNumbers(nodes: ClozeNode[]): number[] {
  const numbers = new Set<number>();
  const visit = (node: ClozeNode) => {
    if (node.kind !== 'cloze') return;
    node.numbers.forEach((number) => numbers.add(number));
    node.children.forEach(visit);
  };
  nodes.forEach(visit);
  return [...numbers].sort((a, b) => a - b);
}

/** How the card being shown marks its hidden part: the caller picks the markup its renderer knows. */
export interface ClozeMarkup {
  blank(hint: string | null): string;
  answer(text: string): string;
}

/** Plain Markdown that any renderer shows sensibly: `**[…]**` on the front, `**answer**` on the back. */
export const markdownClozeMarkup: ClozeMarkup = {
  blank: (hint) => `**[${hint ?? '…'}]**`,
  answer: (text) => `**${text}**`,
};

/** The text of card `number`: its deletions hidden (front) or marked (back), all others shown. */
export function renderCloze(
  nodes: ClozeNode[],
  number: number,
  side: 'front' | 'back',
  markup: ClozeMarkup = markdownClozeMarkup,
): string {
  const render = (node: ClozeNode): string => {
    if (node.kind === 'text') return node.text;
    if (!node.numbers.includes(number)) return node.children.map(render).join('');
    return side === 'front' ? markup.blank(node.hint) : markup.answer(node.children.map(render).join(''));
  };
  return nodes.map(render).join('');
}

/** The text with every deletion shown as its answer: what a search or a duplicate check reads. */
export function clozeFullText(nodes: ClozeNode[]): string {
  const render = (node: ClozeNode): string =>
    node.kind === 'text' ? node.text : node.children.map(render).join('');
  return nodes.map(render).join('');
}
