import { AppError } from '../contract/index.js';
import { MAX_IMAGE_PIXELS } from '../ai/ocr/image-size.js';
import type { OcrEngine } from '../ai/ocr/ocr-engine.js';
import type { ExtractedDocument, ExtractedPage, PageWord } from './extracted-document.js';
import { describePages } from './describe-pages.js';
import { pageFromOcr } from './ocr-page.js';
import { pdfWorkers } from './warm-pdf-workers.js';
import type {
  PackedWords,
  PdfFailure,
  PdfRenderOutcome,
  PdfTask,
  PdfTextOutcome,
  PdfTextTask,
  RenderedPage,
} from './pdf-worker.js';

export interface PdfExtractOptions {
  signal: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
  /** Only these pages (1-based), e.g. to sample a long document; every page when omitted. */
  pages?: number[];
  /** Pages rendered per worker run (default 6): the next batch renders while one is recognised. */
  renderBatch?: number;
}

/** An OCR'd page costs about this many text-layer pages of time (rendering plus recognition). */
const OCR_COST = 50;
const RENDER_BATCH = 6;
/** Scale 2 (144 dpi) reads small print well; huge pages are capped instead. */
const RENDER_SCALE = 2;
const RENDER_MAX_SIDE = 2000;

/**
 * Text of every page from the PDF's text layer, with pages whose text layer is missing or
 * unusable (scans, fonts without a Unicode mapping) rendered and read by OCR instead. Damage is
 * survived page by page and reported in `warnings`.
 */
export async function extractPdf(
  path: string,
  fallbackTitle: string,
  ocr: OcrEngine,
  options: PdfExtractOptions,
): Promise<ExtractedDocument> {
  const { signal } = options;
  let reported = 0;
  // Estimates are revised as pages turn out to need OCR; never show progress going backwards.
  const report = (fraction: number, message: string) => {
    reported = Math.max(reported, fraction);
    options.onProgress?.(reported, message);
  };
  const settings = { scale: RENDER_SCALE, maxSide: RENDER_MAX_SIDE };
  const batchSize = Math.max(1, options.renderBatch ?? RENDER_BATCH);
  const textTask: PdfTextTask = {
    kind: 'text',
    path,
    ocrCost: OCR_COST,
    render: { ...settings, limit: batchSize },
    ...(options.pages ? { pages: options.pages } : {}),
  };
  const textLayer = await runPdfWorker<PdfTextOutcome>(textTask, signal, (fraction, message) =>
    report(fraction ?? 0, message ?? 'Reading the PDF'),
  );
  if (!textLayer.ok) throw failureToError(textLayer);

  const pages = new Map<number, ExtractedPage>();
  const needOcr: number[] = [];
  /** Pages with a few real words, kept if OCR finds nothing more. */
  const sparseTextLayers = new Map<number, ExtractedPage>();
  for (const [index, packed] of textLayer.pages.entries()) {
    const page: ExtractedPage = {
      ...packed.page,
      words: unpackWords(packed.page.text, packed.words),
    };
    const { verdict } = packed;
    if (index % 8 === 7) await new Promise((resolve) => setImmediate(resolve)); // let calls in between
    if (verdict.usable) pages.set(page.number, page);
    else needOcr.push(page.number);
    if (!verdict.usable && verdict.reason === 'no-text' && page.text.trim())
      sparseTextLayers.set(page.number, page);
  }
  const sizes = new Map(
    textLayer.pages.map(({ page }) => [page.number, { width: page.width!, height: page.height! }]),
  );
  const unreadable = [...textLayer.failedPages];
  const ocrFailed: number[] = [];
  /** Pages with a picture left out for being too large to decode. */
  const picturesTooLarge: number[] = [];

  const total = textLayer.pages.length + OCR_COST * needOcr.length;
  let ocrDone = 0;
  const recognizeAll = async (images: RenderedPage[]) => {
    for (const image of images) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      if (image.pictureTooLarge) picturesTooLarge.push(image.number);
      report(
        (textLayer.pages.length + OCR_COST * ocrDone) / total,
        `Recognizing text on page ${image.number} of ${textLayer.pageCount}`,
      );
      const page = await recognizePage(image, ocr, signal, sizes.get(image.number)!);
      const sparse = sparseTextLayers.get(image.number);
      if (page) pages.set(image.number, sparse ? preferredReading(sparse, page) : page);
      else ocrFailed.push(image.number);
      ocrDone++;
    }
  };
  // The text pass already rendered the first few; the rest render a batch ahead of recognition.
  const rendered = new Set(textLayer.images.map((image) => image.number));
  const batches = chunk(
    needOcr.filter((number) => !rendered.has(number)),
    batchSize,
  );
  const render = (numbers: number[]) => {
    const rendering = runPdfWorker<PdfRenderOutcome>(
      { kind: 'render', path, pages: numbers, ...settings },
      signal,
    );
    rendering.catch(() => undefined); // awaited below; this only keeps an early exit from leaving it unhandled
    return rendering;
  };
  let next = batches.length > 0 ? render(batches[0]!) : null;
  await recognizeAll(textLayer.images);
  for (let index = 0; index < batches.length; index++) {
    const batch = await next!;
    next = index + 1 < batches.length ? render(batches[index + 1]!) : null;
    if (!batch.ok) throw failureToError(batch);
    unreadable.push(...batch.failedPages);
    await recognizeAll(batch.images);
  }

  if (pages.size === 0 && unreadable.length > 0) {
    throw new AppError('INVALID_INPUT', 'This PDF is damaged and none of its pages could be read.');
  }
  // A page that could not be read keeps its place (empty), so numbering, page counts and
  // citations still match the PDF the student sees.
  if (!options.pages) {
    for (let number = 1; number <= textLayer.pageCount; number++) {
      if (!pages.has(number))
        pages.set(number, { number, text: '', blocks: [], words: [], source: 'text-layer' });
    }
  }
  const ordered = [...pages.values()].sort((a, b) => a.number - b.number);
  report(1, 'Read the PDF');
  return {
    type: 'pdf',
    mimeType: 'application/pdf',
    title: textLayer.title ?? titleFromFirstPage(ordered[0]) ?? fallbackTitle,
    pages: ordered,
    warnings: pdfWarnings(textLayer, { unreadable, ocrFailed, picturesTooLarge }, ordered),
  };
}

async function recognizePage(
  image: RenderedPage,
  ocr: OcrEngine,
  signal: AbortSignal,
  size: { width: number; height: number },
): Promise<ExtractedPage | null> {
  try {
    const reading = await ocr.recognize(
      Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength),
      {
        signal,
        dpi: image.dpi,
      },
    );
    return pageFromOcr(image.number, reading, size);
  } catch (error) {
    if (signal.aborted || (error instanceof AppError && error.code === 'CANCELLED')) throw error;
    return null;
  }
}

async function runPdfWorker<T>(
  task: PdfTask,
  signal: AbortSignal,
  onProgress?: (fraction: number | null, message?: string | null) => void,
): Promise<T> {
  try {
    return await pdfWorkers.run<T>(task, { signal, ...(onProgress ? { onProgress } : {}) });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // pdf.js itself failed in a way it does not report as a bad file: still the file's fault.
    throw new AppError(
      'INVALID_INPUT',
      `This PDF could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function failureToError(failure: PdfFailure): AppError {
  if (failure.failure === 'password') {
    return new AppError(
      'INVALID_INPUT',
      'This PDF is password-protected. Remove the password and import it again.',
    );
  }
  return new AppError(
    'INVALID_INPUT',
    'This PDF is damaged and could not be read. If a PDF viewer can open it, print it to a new PDF and import that.',
    { reason: failure.detail },
  );
}

function pdfWarnings(
  textLayer: Extract<PdfTextOutcome, { ok: true }>,
  problems: { unreadable: number[]; ocrFailed: number[]; picturesTooLarge: number[] },
  pages: ExtractedPage[],
): string[] {
  const { unreadable, ocrFailed, picturesTooLarge } = problems;
  const warnings: string[] = [];
  if (textLayer.repaired) {
    warnings.push(
      'This PDF is damaged: its table of contents was broken and had to be rebuilt, so some of its content may be missing. Compare it with the original.',
    );
  }
  const partial = textLayer.partialPages.filter((number) => !unreadable.includes(number));
  if (partial.length)
    warnings.push(
      `${capitalize(describePages(partial))}: part of the text could not be read (the file is damaged there).`,
    );
  if (unreadable.length)
    warnings.push(
      `${capitalize(describePages(unreadable))} could not be read and ${unreadable.length > 1 ? 'were' : 'was'} skipped.`,
    );
  if (ocrFailed.length) {
    warnings.push(
      `${capitalize(describePages(ocrFailed))}: text recognition failed, so ${ocrFailed.length > 1 ? 'they were' : 'it was'} skipped.`,
    );
  }
  if (picturesTooLarge.length) {
    const many = picturesTooLarge.length > 1;
    warnings.push(
      `${capitalize(describePages(picturesTooLarge))}: ${many ? 'they hold pictures' : 'it holds a picture'} too large to read, ` +
        `over the ${MAX_IMAGE_PIXELS / 1_000_000} megapixels Little Monster decodes, so ${many ? 'those pictures were' : 'it was'} left out and any text in ${many ? 'them' : 'it'} could not be recognised. ` +
        'Scan or export the pages at a lower resolution (300 dpi is plenty for text) and import the new PDF.',
    );
  }
  // Every page is empty: say so, unless the pictures left out already say why.
  const emptyUnexplained = pages.filter(
    (page) => !page.text.trim() && !picturesTooLarge.includes(page.number),
  );
  if (pages.length > 0 && pages.every((page) => !page.text.trim()) && emptyUnexplained.length > 0) {
    warnings.push('No text was found in this PDF, so it cannot be searched or used by the tutor.');
  }
  return warnings;
}

/** The words of a text-layer page as the worker packed them (a word's text is a slice of the page's). */
function unpackWords(text: string, { starts, lengths, boxes }: PackedWords): PageWord[] {
  const words: PageWord[] = [];
  for (let index = 0; index < starts.length; index++) {
    const start = starts[index]!;
    const at = index * 4;
    words.push({
      text: text.slice(start, start + lengths[index]!),
      start,
      box: [boxes[at]!, boxes[at + 1]!, boxes[at + 2]!, boxes[at + 3]!],
    });
  }
  return words;
}

/**
 * A page with only a few words in its text layer (a title slide, or a scan with a caption) was
 * OCR'd in case it is a picture of text; keep the exact text layer unless OCR found clearly more.
 */
function preferredReading(textLayer: ExtractedPage, ocrPage: ExtractedPage): ExtractedPage {
  const visible = (text: string) => text.replace(/\s+/g, '').length;
  return visible(ocrPage.text) > 1.5 * visible(textLayer.text) + 10 ? ocrPage : textLayer;
}

/** The first page's title-sized heading; OCR'd pages are not trusted with this. */
function titleFromFirstPage(page: ExtractedPage | undefined): string | null {
  if (page?.source !== 'text-layer') return null;
  const heading = page.blocks.find((block) => block.kind === 'heading' && block.level === 1);
  return heading ? page!.text.slice(heading.start, heading.end).replace(/\s+/g, ' ').trim() || null : null;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
