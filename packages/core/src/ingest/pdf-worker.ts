/**
 * pdf.js in a worker thread: parsing, text extraction and page rendering are CPU work that would
 * otherwise stall the engine's thread for hundreds of milliseconds a page.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { MAX_IMAGE_PIXELS } from '../ai/ocr/image-size.js';
import type { ProgressReporter } from '../workers/worker-task.js';
import type { ExtractedPage, PageWord } from './extracted-document.js';
import { loadPdfjs } from './load-pdfjs.js';
import { layoutTextLayer, type PdfTextRun } from './pdf-text-layout.js';
import { assessTextLayer, type TextLayerVerdict } from './text-layer-quality.js';
import { serveWarmTasks } from '../workers/warm-workers.js';

export type PdfTask = PdfTextTask | PdfRenderTask;

export interface PdfTextTask {
  kind: 'text';
  path: string;
  /** 1-based page numbers to read; every page when omitted. */
  pages?: number[];
  /** Weight of an OCR'd page against a text page, for a progress estimate. */
  ocrCost: number;
  /** Pages without a usable text layer are rendered right away, up to `limit` of them (saves reopening small PDFs). */
  render: RenderSettings & { limit: number };
}

interface RenderSettings {
  scale: number;
  /** Pages are rendered no larger than this many pixels on their long side. */
  maxSide: number;
}

export interface PdfRenderTask extends RenderSettings {
  kind: 'render';
  path: string;
  pages: number[];
}

export type PdfFailure = { ok: false; failure: 'password' | 'damaged'; detail: string };

/**
 * A page's text layer with its words packed in typed arrays: thousands of small objects cost the
 * receiving thread a long structured-clone pause, while typed arrays copy in one go and are
 * unpacked page by page (`unpackWords`), between which the engine's thread can answer calls.
 */
export interface TextLayerPage {
  page: Omit<ExtractedPage, 'words'>;
  words: PackedWords;
  verdict: TextLayerVerdict;
}

/** Word i is `text.slice(starts[i], starts[i] + lengths[i])`, its box `boxes[4i .. 4i + 3]`. */
export interface PackedWords {
  starts: Uint32Array;
  lengths: Uint32Array;
  boxes: Float64Array;
}

function packWords(words: PageWord[]): PackedWords {
  const packed = {
    starts: new Uint32Array(words.length),
    lengths: new Uint32Array(words.length),
    boxes: new Float64Array(words.length * 4),
  };
  words.forEach((word, index) => {
    packed.starts[index] = word.start;
    packed.lengths[index] = word.text.length;
    packed.boxes.set(word.box, index * 4);
  });
  return packed;
}

export type PdfTextOutcome =
  | PdfFailure
  | {
      ok: true;
      title: string | null;
      pageCount: number;
      pages: TextLayerPage[];
      /** Pages pdf.js could not open at all. */
      failedPages: number[];
      /** Pages whose text was read only in part (pdf.js skipped broken content). */
      partialPages: number[];
      /** The file's cross-reference table was broken and rebuilt by scanning the file. */
      repaired: boolean;
      /** The first pages that need OCR, already rendered. */
      images: RenderedPage[];
    };

export interface RenderedPage {
  number: number;
  png: Uint8Array;
  dpi: number;
  /** A picture on the page would have decoded to more than MAX_IMAGE_PIXELS, so it was left out. */
  pictureTooLarge: boolean;
}

/** pdf.js's Node canvas factory (backed by @napi-rs/canvas); its types describe the browser's. */
interface NodeCanvasFactory {
  create(
    width: number,
    height: number,
  ): { canvas: { toBuffer(mime: 'image/png'): Buffer }; context: unknown };
  destroy(target: unknown): void;
}

export type PdfRenderOutcome = PdfFailure | { ok: true; images: RenderedPage[]; failedPages: number[] };

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
/** Local copies of everything pdf.js would otherwise look for by URL (trailing slashes required). */
const resources = {
  standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
  cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
  cMapPacked: true,
  wasmUrl: join(pdfjsRoot, 'wasm') + '/',
  iccUrl: join(pdfjsRoot, 'iccs') + '/',
};

// pdf.js reports recoverable damage only as console warnings; this thread is ours, so keep them.
const pdfWarnings: string[] = [];
const forwardWarning = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Warning: ')) pdfWarnings.push(args[0].slice(9));
  else forwardWarning(...args);
};

/** Pages (1-based) a pdf.js warning says it skipped broken content on, for one kind of task. */
function pagesWarnedAbout(task: 'GetTextContent' | 'GetOperatorList'): number[] {
  const pattern = new RegExp(`ignoring errors during "${task}: page (\\d+)"`);
  return [
    ...new Set(
      pdfWarnings.flatMap((warning) =>
        pattern.exec(warning) ? [Number(pattern.exec(warning)![1]) + 1] : [],
      ),
    ),
  ];
}

async function openPdf(path: string): Promise<PDFDocumentProxy | PdfFailure> {
  const pdfjs = await loadPdfjs();
  const data = new Uint8Array(await readFile(path));
  try {
    return await pdfjs.getDocument({
      data,
      ...resources,
      useSystemFonts: false,
      isEvalSupported: false,
      // An embedded picture whose size says it would not fit in memory is left out, not decoded.
      maxImageSize: MAX_IMAGE_PIXELS,
      verbosity: pdfjs.VerbosityLevel.WARNINGS,
    }).promise;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: name === 'PasswordException' ? 'password' : 'damaged', detail };
  }
}

const isFailure = (value: unknown): value is PdfFailure =>
  typeof value === 'object' && value !== null && (value as PdfFailure).ok === false;

function selectedPages(requested: number[] | undefined, pageCount: number): number[] {
  const all = Array.from({ length: pageCount }, (_, index) => index + 1);
  return requested ? all.filter((number) => requested.includes(number)) : all;
}

async function readTextLayers(task: PdfTextTask, progress: ProgressReporter): Promise<PdfTextOutcome> {
  const doc = await openPdf(task.path);
  if (isFailure(doc)) return doc;
  try {
    const numbers = selectedPages(task.pages, doc.numPages);
    const pages: TextLayerPage[] = [];
    const failedPages: number[] = [];
    const images: RenderedPage[] = [];
    let ocrSoFar = 0;
    for (const [index, number] of numbers.entries()) {
      // Share of the whole import done so far, guessing that later pages need OCR as often as these.
      const estimate = index === 0 ? 0 : index / numbers.length / (1 + task.ocrCost * (ocrSoFar / index));
      progress(estimate, `Reading page ${number} of ${doc.numPages}`);
      try {
        const page = await doc.getPage(number);
        const viewport = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        const runs = content.items.filter(
          (item): item is PdfTextRun & (typeof content.items)[number] => 'str' in item,
        );
        const layout = layoutTextLayer(runs, content.styles, {
          width: viewport.width,
          height: viewport.height,
          toViewport: (x, y) => viewport.convertToViewportPoint(x, y),
        });
        const verdict = assessTextLayer(layout.text);
        if (!verdict.usable) ocrSoFar++;
        pages.push({
          page: {
            number,
            text: layout.text,
            blocks: layout.blocks,
            source: 'text-layer',
            width: viewport.width,
            height: viewport.height,
          },
          words: packWords(layout.words),
          verdict,
        });
        if (!verdict.usable && images.length < task.render.limit) {
          // A failure here is retried, and reported, by the render batches.
          const image = await renderPage(doc, page, task.render).catch(() => null);
          if (image) images.push(image);
        }
        page.cleanup();
      } catch {
        failedPages.push(number);
      }
    }
    return {
      ok: true,
      title: await documentTitle(doc),
      pageCount: doc.numPages,
      pages,
      failedPages,
      partialPages: pagesWarnedAbout('GetTextContent').filter((number) => numbers.includes(number)),
      repaired: pdfWarnings.some((warning) => warning.includes('Indexing all PDF objects')),
      images,
    };
  } finally {
    await doc.destroy();
  }
}

/** The title the author set, unless it is a tool's placeholder. */
async function documentTitle(doc: PDFDocumentProxy): Promise<string | null> {
  const { info } = await doc.getMetadata().catch(() => ({ info: {} as Record<string, unknown> }));
  const raw = (info as { Title?: unknown }).Title;
  if (typeof raw !== 'string') return null;
  const title = raw
    .replace(/^Microsoft (Word|PowerPoint) - /, '')
    .replace(/\.(docx?|pptx?|odt|tex|dvi)$/i, '')
    .trim();
  return !title || /^(untitled|document\d*|slide ?\d*|title)$/i.test(title) ? null : title;
}

async function renderPages(task: PdfRenderTask, progress: ProgressReporter): Promise<PdfRenderOutcome> {
  const doc = await openPdf(task.path);
  if (isFailure(doc)) return doc;
  try {
    const images: RenderedPage[] = [];
    const failedPages: number[] = [];
    for (const [index, number] of selectedPages(task.pages, doc.numPages).entries()) {
      progress(index / task.pages.length, `Rendering page ${number}`);
      try {
        const page = await doc.getPage(number);
        images.push(await renderPage(doc, page, task));
        page.cleanup();
      } catch {
        failedPages.push(number);
      }
    }
    return { ok: true, images, failedPages };
  } finally {
    await doc.destroy();
  }
}

/** The page as a PNG at `scale` (capped at `maxSide` pixels), the resolution OCR reads best at. */
async function renderPage(
  doc: PDFDocumentProxy,
  page: PDFPageProxy,
  settings: RenderSettings,
): Promise<RenderedPage> {
  const natural = page.getViewport({ scale: 1 });
  const scale = Math.min(settings.scale, settings.maxSide / Math.max(natural.width, natural.height));
  const viewport = page.getViewport({ scale });
  const canvases = doc.canvasFactory as unknown as NodeCanvasFactory;
  const target = canvases.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const warnedBefore = pdfWarnings.length;
  try {
    const parameters = { canvasContext: target.context, canvas: target.canvas, viewport };
    await page.render(parameters as unknown as Parameters<typeof page.render>[0]).promise;
    // pdf.js says so only as a warning, which names no page: this page's render is what gave it.
    const pictureTooLarge = pdfWarnings
      .slice(warnedBefore)
      .some((warning) => warning.startsWith('Image exceeded maximum allowed size'));
    return {
      number: page.pageNumber,
      png: target.canvas.toBuffer('image/png'),
      dpi: 72 * scale,
      pictureTooLarge,
    };
  } finally {
    canvases.destroy(target);
  }
}

// The thread is kept for later tasks: each starts with no warnings of the one before.
serveWarmTasks<PdfTask, PdfTextOutcome | PdfRenderOutcome>((task, progress) => {
  pdfWarnings.length = 0;
  return task.kind === 'text' ? readTextLayers(task, progress) : renderPages(task, progress);
});
