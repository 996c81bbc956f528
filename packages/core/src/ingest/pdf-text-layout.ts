import type { PageBlock, PageWord } from './extracted-document.js';
import { guessHeadingLevel, weightedMedian } from '../ai/ocr/heading-guess.js';

/** The parts of a pdf.js text item this needs (pdf.js's `TextItem`). */
export interface PdfTextRun {
  str: string;
  /** [a, b, c, d, e, f]: text space to PDF user space; (e, f) is the run's origin on the baseline. */
  transform: number[];
  /** Advance width of the run in user space. */
  width: number;
  hasEOL: boolean;
  fontName: string;
}

export interface PdfFontMetrics {
  ascent: number;
  descent: number;
}

/** The page's viewport at scale 1: user space to top-down page units (handles /Rotate and crop boxes). */
export interface PdfPageGeometry {
  width: number;
  height: number;
  toViewport(x: number, y: number): number[];
}

export interface PageLayout {
  text: string;
  blocks: PageBlock[];
  words: PageWord[];
}

interface PlacedRun {
  str: string;
  fontSize: number;
  /** Viewport units (top-down), not yet normalised. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  baseline: number;
  hasEOL: boolean;
  /** Box of the characters from t0 to t1 (fractions of the run), in viewport units. */
  boxOf(t0: number, t1: number): [number, number, number, number];
}

interface Line {
  runs: PlacedRun[];
  baseline: number;
  left: number;
  right: number;
  fontSize: number;
}

const DEFAULT_ASCENT = 0.8;
const DEFAULT_DESCENT = -0.2;

/**
 * Turns a page's text runs (in content-stream order, which for almost every PDF is reading order,
 * columns included) into text with line breaks, paragraph and heading blocks, and word boxes.
 */
export function layoutTextLayer(
  items: PdfTextRun[],
  styles: Record<string, PdfFontMetrics | undefined>,
  page: PdfPageGeometry,
): PageLayout {
  const runs = items.map((item) => placeRun(item, styles[item.fontName], page)).filter((run) => run !== null);
  const medianSize = weightedMedian(
    runs.map((run) => run.fontSize),
    runs.map((run) => run.str.trim().length),
  );
  const paragraphs = groupParagraphs(groupLines(runs), medianSize);
  return writePage(paragraphs, medianSize, page);
}

function placeRun(
  item: PdfTextRun,
  metrics: PdfFontMetrics | undefined,
  page: PdfPageGeometry,
): PlacedRun | null {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
  const fontSize = Math.hypot(c, d) || Math.hypot(a, b);
  if (!item.str || !(fontSize > 0)) return null;
  const length = Math.hypot(a, b) || 1;
  const [ux, uy] = [a / length, b / length]; // along the baseline
  const [vx, vy] = [c / fontSize, d / fontSize]; // up from the baseline
  const ascent = metrics?.ascent || DEFAULT_ASCENT;
  const descent = metrics?.descent || DEFAULT_DESCENT;
  // The page transform is affine, so the run's origin and its two axes are mapped once and every
  // word box is worked out from them: a page has thousands of words.
  const [ox = 0, oy = 0] = page.toViewport(e, f);
  const [ax = 0, ay = 0] = page.toViewport(e + item.width * ux, f + item.width * uy);
  const [bx = 0, by = 0] = page.toViewport(e + fontSize * vx, f + fontSize * vy);
  const [alongX, alongY] = [ax - ox, ay - oy];
  // From the baseline down to the descent and up to the ascent.
  const [dx, dy] = [descent * (bx - ox), descent * (by - oy)];
  const [ux2, uy2] = [ascent * (bx - ox), ascent * (by - oy)];
  const boxOf = (t0: number, t1: number): [number, number, number, number] => {
    const x0 = ox + t0 * alongX;
    const y0 = oy + t0 * alongY;
    const x1 = ox + t1 * alongX;
    const y1 = oy + t1 * alongY;
    return [
      Math.min(x0 + dx, x0 + ux2, x1 + dx, x1 + ux2),
      Math.min(y0 + dy, y0 + uy2, y1 + dy, y1 + uy2),
      Math.max(x0 + dx, x0 + ux2, x1 + dx, x1 + ux2),
      Math.max(y0 + dy, y0 + uy2, y1 + dy, y1 + uy2),
    ];
  };
  const [left, top, right, bottom] = boxOf(0, 1);
  return {
    str: item.str,
    fontSize,
    left,
    right,
    top,
    bottom,
    baseline: oy,
    hasEOL: item.hasEOL,
    boxOf,
  };
}

/** A run starts a new line after an end-of-line mark, on another baseline, or far back to the left. */
function groupLines(runs: PlacedRun[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  let previous: PlacedRun | null = null;
  for (const run of runs) {
    const size = Math.min(run.fontSize, current?.fontSize ?? run.fontSize);
    const sameLine =
      current !== null &&
      previous !== null &&
      !previous.hasEOL &&
      Math.abs(run.baseline - current.baseline) <= 0.5 * size &&
      run.left >= previous.right - 2 * size;
    if (!sameLine || !current) {
      current = {
        runs: [run],
        baseline: run.baseline,
        left: run.left,
        right: run.right,
        fontSize: run.fontSize,
      };
      lines.push(current);
    } else {
      current.runs.push(run);
      current.left = Math.min(current.left, run.left);
      current.right = Math.max(current.right, run.right);
      if (run.str.trim()) current.fontSize = Math.max(current.fontSize, run.fontSize);
    }
    previous = run;
  }
  return lines.filter((line) => line.runs.some((run) => run.str.trim()));
}

/**
 * Lines join a paragraph unless there is extra space above, the size changes (a heading), the
 * text jumps up (a new column) or a body-text line is indented (a first line; large text is
 * often centred, so its indentation says nothing).
 */
function groupParagraphs(lines: Line[], medianSize: number): Line[][] {
  const gaps = lines
    .slice(1)
    .map((line, index) => line.baseline - lines[index]!.baseline)
    .filter((gap, index) => gap > 0 && gap < 3 * lines[index]!.fontSize);
  const leading = gaps.length
    ? weightedMedian(
        gaps,
        gaps.map(() => 1),
      )
    : 0;
  const paragraphs: Line[][] = [];
  lines.forEach((line, index) => {
    const before = lines[index - 1];
    if (!before) return paragraphs.push([line]);
    const gap = line.baseline - before.baseline;
    const typical = Math.max(leading, 1.05 * Math.min(line.fontSize, before.fontSize));
    const sizeRatio = line.fontSize / before.fontSize;
    const breaks =
      gap > 1.4 * typical ||
      gap < -0.5 * line.fontSize ||
      sizeRatio > 1.15 ||
      sizeRatio < 1 / 1.15 ||
      (line.left - before.left > 0.8 * line.fontSize && line.fontSize <= 1.1 * medianSize);
    if (breaks) paragraphs.push([line]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  });
  return paragraphs;
}

function writePage(paragraphs: Line[][], medianSize: number, page: PdfPageGeometry): PageLayout {
  let text = '';
  const blocks: PageBlock[] = [];
  const words: PageWord[] = [];
  const normalise = ([left, top, right, bottom]: [number, number, number, number]): PageWord['box'] => [
    round(left / page.width),
    round(top / page.height),
    round((right - left) / page.width),
    round((bottom - top) / page.height),
  ];
  for (const paragraph of paragraphs) {
    if (text) text += '\n\n';
    const start = text.length;
    paragraph.forEach((line, lineIndex) => {
      if (lineIndex > 0) text += '\n';
      let glued = false; // the next word continues the previous one (no space between runs)
      line.runs.forEach((run, runIndex) => {
        const previous = line.runs[runIndex - 1];
        const lead = runIndex === 0 ? run.str.length - run.str.trimStart().length : 0;
        let str = run.str.slice(lead);
        if (runIndex === line.runs.length - 1) str = str.trimEnd();
        const gap = previous ? run.left - previous.right : 0;
        if (
          previous &&
          !/\s$/.test(text) &&
          !/^\s/.test(str) &&
          gap > 0.15 * Math.min(run.fontSize, previous.fontSize)
        ) {
          text += ' ';
          glued = false;
        }
        const base = text.length;
        for (const match of str.matchAll(/\S+/g)) {
          const from = lead + match.index;
          const box = normalise(run.boxOf(from / run.str.length, (from + match[0].length) / run.str.length));
          const last = words[words.length - 1];
          if (glued && match.index === 0 && last) {
            // One word split over runs (a font change mid-word): one word, one box.
            const [x, y, w, h] = last.box;
            const left = Math.min(x, box[0]);
            const top = Math.min(y, box[1]);
            last.box = [
              left,
              top,
              round(Math.max(x + w, box[0] + box[2]) - left),
              round(Math.max(y + h, box[1] + box[3]) - top),
            ];
            last.text += match[0];
          } else {
            words.push({ text: match[0], start: base + match.index, box });
          }
        }
        text += str;
        glued = str.length > 0 && !/\s$/.test(str);
      });
    });
    const end = text.length;
    const content = text.slice(start, end);
    const size = paragraph.reduce((max, line) => Math.max(max, line.fontSize), 0);
    const level = paragraph.length <= 3 ? guessHeadingLevel(size, medianSize, content) : null;
    blocks.push(level === null ? { kind: 'paragraph', start, end } : { kind: 'heading', level, start, end });
  }
  return { text, blocks, words };
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 100_000) / 100_000;
