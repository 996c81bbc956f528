import type { TutorSource } from '@little-monster/core/contract';
import { describePageRange } from '../library/material-labels';
import { viewerPath } from '../library/viewer/viewer-link';
import { lecturePath } from '../lectures/lecture-link';

/**
 * A run of citations: `[1]`, `[1, 2]`, `[1][2]`, `[1] [2]`, `[2-4]`, with the space before it
 * (dropped along with a citation that cites nothing real). As in the engine, brackets right
 * after a word or `)` are not a citation (`a[1]` is an index).
 */
const GROUP = String.raw`\[\s*\d{1,3}(?:\s*(?:[,;]|[-–])\s*\d{1,3})*\s*\]`;
const RUN = new RegExp(String.raw`(\s*)(?<![\w)])(${GROUP}(?:\s*${GROUP})*)`, 'g');
/** An unfinished citation at the very end of a streaming answer (`… as shown [1`). */
const UNFINISHED = /\s*\[\s*\d[\d\s,;–-]*$/;
/** A range is short in practice; a long one is not a citation of every source between. */
const MAX_RANGE = 9;

/** Every number a run cites, in order, once each (`[2-4]` is 2, 3, 4). */
export function citedNumbers(run: string): number[] {
  const numbers: number[] = [];
  for (const [, from, to] of run.matchAll(/(\d+)(?:\s*[-–]\s*(\d+))?/g)) {
    const start = Number(from);
    const end = to === undefined ? start : Number(to);
    if (end < start || end - start > MAX_RANGE) continue;
    for (let n = start; n <= end; n += 1) numbers.push(n);
  }
  return [...new Set(numbers)];
}

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

function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Where in the material a source is: `12:34` in a lecture, `slide 6`, `pp. 6–7`. */
export function describeSpot(source: TutorSource): string {
  if (source.startSec !== null) return formatClock(source.startSec);
  const { pageStart: start, pageEnd: end } = source;
  if (source.materialType === 'slides' && start !== null) {
    return end !== null && end !== start ? `slides ${start}–${end}` : `slide ${start}`;
  }
  return describePageRange(start, end);
}

/** Opens the viewer at the source's page with its passage marked, or a lecture at the second it cites. */
export const sourcePath = (source: TutorSource) =>
  source.materialType === 'lecture' || source.startSec !== null
    ? lecturePath(source.materialId, source.startSec)
    : viewerPath(source.materialId, { page: source.pageStart, spans: source.spans });

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
