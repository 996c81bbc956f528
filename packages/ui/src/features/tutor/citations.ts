import { CITATION_GROUP, CITATION_START, citedNumbers } from '@little-monster/core/contract';

/**
 * A run of citations (`[1]`, `[1, 2]`, `[1][2]`, `[1] [2]`, `[2-4]`; the grammar is the
 * contract's, shared with the engine), with the space before it (dropped along with a citation
 * that cites nothing real).
 */
const RUN = new RegExp(String.raw`(\s*)${CITATION_START}(${CITATION_GROUP}(?:\s*${CITATION_GROUP})*)`, 'g');
/** An unfinished citation at the very end of a streaming answer (`… as shown [1`). */
const UNFINISHED = /\s*\[\s*\d[\d\s,;–-]*$/;

export type CitationPart = { text: string } | { cite: number[] };

/**
 * Splits text into plain parts and citations of the given sources. Numbers with no source
 * (invented, or out of range) are dropped; a run that cites none of them disappears entirely.
 */
export function splitCitations(text: string, known: ReadonlySet<number>): CitationPart[] {
  const parts: CitationPart[] = [];
  let last = 0;
  for (const match of text.matchAll(RUN)) {
    const [whole, space = '', run = ''] = match;
    const at = match.index;
    if (at > last) parts.push({ text: text.slice(last, at) });
    const cite = citedNumbers(run).filter((n) => known.has(n));
    if (cite.length > 0) {
      if (space) parts.push({ text: space });
      parts.push({ cite });
    }
    last = at + whole.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** Hides a citation still being written at the end of a streaming answer. */
export const trimUnfinishedCitation = (text: string) => text.replace(UNFINISHED, '');

/** Minimal mdast shapes the plugin touches (text nodes and anything with children). */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: { hName?: string; hProperties?: Record<string, string> };
}

/** Nodes whose text must stay as written: a chip cannot sit inside a link. */
const SKIP = new Set(['link', 'linkReference']);

function transform(node: MdNode, known: ReadonlySet<number>) {
  if (!node.children || SKIP.has(node.type)) return;
  node.children = node.children.flatMap((child): MdNode[] => {
    if (child.type !== 'text') {
      transform(child, known);
      return [child];
    }
    return splitCitations(child.value ?? '', known).map((part) =>
      'text' in part
        ? { type: 'text', value: part.text }
        : {
            type: 'citation',
            children: [],
            data: { hName: 'cite', hProperties: { dataSources: part.cite.join(' ') } },
          },
    );
  });
}

/**
 * A remark plugin: `[n]` in the answer's prose becomes a `<cite data-sources="n">` element that
 * the renderer draws as chips. Only `text` nodes are read, so code, inline code and math (their
 * own node types) never get chips.
 */
export function remarkCitations(options: { known: ReadonlySet<number> }) {
  return (tree: MdNode) => transform(tree, options.known);
}

/** The answer's text with only the citations that name a source (for copying). */
export function withKnownCitations(text: string, known: ReadonlySet<number>): string {
  return splitCitations(text, known)
    .map((part) => ('text' in part ? part.text : `[${part.cite.join(', ')}]`))
    .join('');
}
