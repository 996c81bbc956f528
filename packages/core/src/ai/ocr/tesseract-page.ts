import { guessHeadingLevel, weightedMedian } from './heading-guess.js';
import type { PageWord } from '../../contract/index.js';
import type { PageBlock } from './ocr-engine.js';
import { boxOnOriginal } from './image-orientation.js';
import type { OcrPage, Rotation } from './ocr-engine.js';
import type { TesseractParagraph } from './tesseract-worker.js';

/** Symbols read with low confidence and no letter or digit are specks and rules, not words. */
const isNoise = (text: string, confidence: number) => confidence < 40 && !/[\p{L}\p{N}]/u.test(text);

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 100_000) / 100_000;

/**
 * Text with paragraphs, lines and words as tesseract found them; boxes are turned back onto the
 * image as given when it had to be rotated to be read.
 */
export function toOcrPage(
  read: TesseractParagraph[],
  size: { width: number; height: number },
  rotation: Rotation,
  original: { width: number; height: number },
): OcrPage {
  const paragraphs = read
    .map((paragraph) => ({
      table: paragraph.table,
      lines: paragraph.lines
        .map((line) => ({
          xHeight: line.xHeight,
          words: line.words.filter((word) => word.text.trim() && !isNoise(word.text, word.confidence)),
        }))
        .filter((line) => line.words.length > 0),
    }))
    .filter((paragraph) => paragraph.lines.length > 0);

  // The x-height of a line stands in for its font size when guessing headings: unlike box heights
  // it does not grow with brackets, capitals or descenders.
  const allLines = paragraphs.flatMap((paragraph) => paragraph.lines);
  const sized = allLines.flatMap(({ xHeight, words }) =>
    xHeight === null
      ? []
      : [{ size: xHeight, chars: words.reduce((sum, word) => sum + word.text.length, 0) }],
  );
  const medianSize = weightedMedian(
    sized.map((line) => line.size),
    sized.map((line) => line.chars),
  );

  let text = '';
  const blocks: PageBlock[] = [];
  const words: PageWord[] = [];
  let confidenceSum = 0;
  for (const paragraph of paragraphs) {
    if (text) text += '\n\n';
    const start = text.length;
    paragraph.lines.forEach((line, lineIndex) => {
      if (lineIndex > 0) text += '\n';
      line.words.forEach((word, wordIndex) => {
        if (wordIndex > 0) text += ' ';
        const [x0, y0, x1, y1] = word.box;
        const box: PageWord['box'] = [
          x0 / size.width,
          y0 / size.height,
          (x1 - x0) / size.width,
          (y1 - y0) / size.height,
        ];
        words.push({
          text: word.text,
          start: text.length,
          box: boxOnOriginal(box, rotation).map(round) as PageWord['box'],
          confidence: Math.round(word.confidence),
        });
        confidenceSum += word.confidence;
        text += word.text;
      });
    });
    const content = text.slice(start);
    const sizes = paragraph.lines.map((line) => line.xHeight);
    const level =
      paragraph.lines.length <= 2 && sizes.every((size) => size !== null)
        ? guessHeadingLevel(Math.min(...sizes), medianSize, content)
        : null;
    if (paragraph.table) blocks.push({ kind: 'table', start, end: text.length });
    else if (level !== null) blocks.push({ kind: 'heading', level, start, end: text.length });
    else blocks.push({ kind: 'paragraph', start, end: text.length });
  }
  return {
    text,
    blocks,
    words,
    confidence: words.length ? Math.round((confidenceSum / words.length) * 10) / 10 : 0,
    width: original.width,
    height: original.height,
    rotation,
  };
}
