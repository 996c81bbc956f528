import { AppError } from '../../contract/index.js';
import { workerScript } from '../../workers/worker-task.js';
import { WarmWorkers } from '../../workers/warm-workers.js';
import { formatBytes } from '../../format-bytes.js';
import { imageSize, MAX_IMAGE_PIXELS } from './image-size.js';
import type { OcrEngine, OcrOptions, OcrPage, Rotation } from './ocr-engine.js';
import { defaultTesseractResources, type TesseractResources } from './tesseract-resources.js';
import { toOcrPage } from './tesseract-page.js';
import type {
  ImageTransform,
  TesseractOutcome,
  TesseractParagraph,
  TesseractTask,
} from './tesseract-worker.js';

/** Below this mean confidence a page may be sideways or upside down, so other turns are tried. */
const READABLE_CONFIDENCE = 65;
/** A turn must read this well, and this much better than upright, to be believed. */
const TURNED_MIN_CONFIDENCE = 70;
const TURNED_MIN_GAIN = 15;
/** A probe this confident ends the search (turns are tried 180° first, the usual scanner mistake). */
const CONVINCING_CONFIDENCE = 85;
/** Fewer words than this give no evidence about orientation either way. */
const MIN_WORDS_TO_ORIENT = 5;
/** The middle of the page is probed in each orientation: cheap, and almost always has text. */
const PROBE_BAND = { top: 0.35, height: 0.3 };
/** Larger images (48-megapixel phone photos) are scaled down: no more legible, much slower. */
const MAX_IMAGE_SIDE = 5000;

/** The thread and its model (about 100 MB) go after this long without a page. */
const IDLE_MS = 60_000;
/**
 * tesseract.js-core's bindings never free the strings they return (about 30 kB of words a page),
 * so a thread is replaced after this many passes; restarting costs well under a second.
 */
const MAX_PASSES_PER_THREAD = 200;

interface Reading {
  paragraphs: TesseractParagraph[];
  /** The frame tesseract's boxes are in. */
  size: { width: number; height: number };
  confidence: number;
  wordCount: number;
}

/**
 * OCR with tesseract compiled to WebAssembly (tesseract.js-core, driven from our own worker
 * thread: tesseract-worker.ts), English "best_int" model, fully offline. One thread is started
 * on first use and reused for every page while pages keep coming; calls queue. An idle thread
 * ends after a while, so an idle engine does not hold the model's memory.
 *
 * Orientation: tesseract's own orientation detector needs osd.traineddata, a further 10 MB the
 * app does not ship. Instead a page that reads badly upright (mean confidence < 65) is probed: the middle band
 * of the page is read turned 90°, 180° and 270°, and the page is read again in the best turn if
 * that reads clearly better. Upright pages (the common case) cost one pass; small skews (phone
 * photos) are straightened by measuring the skew of the lines tesseract finds.
 */
export class TesseractOcrEngine implements OcrEngine {
  private readonly resources: TesseractResources;
  private readonly workers = new WarmWorkers(workerScript(import.meta.url, 'tesseract-worker'), {
    idleMs: IDLE_MS,
    maxIdle: 1,
    maxTasks: MAX_PASSES_PER_THREAD,
  });
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: { resources?: Partial<TesseractResources> } = {}) {
    this.resources = { ...defaultTesseractResources(), ...options.resources };
  }

  recognize(image: Buffer, options: OcrOptions): Promise<OcrPage> {
    const run = this.queue.then(() => this.recognizeNow(image, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.workers.close();
  }

  private async recognizeNow(image: Buffer, options: OcrOptions): Promise<OcrPage> {
    throwIfAborted(options.signal);
    // Decoding happens only in the worker thread, and only once the header says the image fits.
    const size = checkedSize(image);
    const longSide = Math.max(size.width, size.height);
    const scale = longSide > MAX_IMAGE_SIDE ? MAX_IMAGE_SIDE / longSide : 1;
    const transform = (rotation: Rotation, band?: ImageTransform['band']): ImageTransform | undefined =>
      rotation === 0 && scale === 1 && !band ? undefined : { rotation, scale, ...(band ? { band } : {}) };
    const upright = await this.read(image, options, { transform: transform(0) });
    // Sizes are reported for the image as given (and as viewers show it, EXIF orientation applied).
    const given = {
      width: Math.round(upright.size.width / scale),
      height: Math.round(upright.size.height / scale),
    };
    const asRead = () => toOcrPage(upright.paragraphs, upright.size, 0, given);
    if (upright.confidence >= READABLE_CONFIDENCE || upright.wordCount < MIN_WORDS_TO_ORIENT) return asRead();

    let best: { rotation: Rotation; confidence: number } = { rotation: 0, confidence: 0 };
    for (const rotation of [180, 90, 270] as const) {
      const probe = await this.read(image, options, {
        deskew: false,
        transform: transform(rotation, PROBE_BAND),
      });
      if (probe.wordCount >= MIN_WORDS_TO_ORIENT && probe.confidence > best.confidence) {
        best = { rotation, confidence: probe.confidence };
      }
      if (best.confidence >= CONVINCING_CONFIDENCE) break;
    }
    if (best.confidence < TURNED_MIN_CONFIDENCE || best.confidence < upright.confidence + TURNED_MIN_GAIN) {
      return asRead();
    }
    const turned = await this.read(image, options, { transform: transform(best.rotation) });
    if (turned.confidence <= upright.confidence) return asRead();
    return toOcrPage(turned.paragraphs, turned.size, best.rotation, given);
  }

  /** One tesseract pass; aborting ends the worker thread (the only way to stop a pass). */
  private async read(
    image: Buffer,
    options: OcrOptions,
    extra: { transform?: ImageTransform | undefined; deskew?: boolean } = {},
  ): Promise<Reading> {
    throwIfAborted(options.signal);
    const task: TesseractTask = {
      image,
      langPath: this.resources.langPath,
      deskew: extra.deskew ?? true,
      ...(extra.transform ? { transform: extra.transform } : {}),
      ...(options.dpi ? { dpi: options.dpi } : {}),
    };
    let outcome: TesseractOutcome;
    try {
      outcome = await this.workers.run<TesseractOutcome>(task, { signal: options.signal });
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'INTERNAL',
        'Text recognition stopped unexpectedly (it may have run out of memory).',
      );
    }
    if (!outcome.ok) {
      if (outcome.failure === 'start') {
        throw new AppError('ENGINE_UNAVAILABLE', `Text recognition could not start: ${outcome.reason}.`);
      }
      throw new AppError('INVALID_INPUT', `This image could not be read: ${outcome.reason}.`);
    }
    const { paragraphs, size } = outcome.reading;
    const words = paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words));
    return {
      paragraphs,
      size,
      confidence: words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0,
      wordCount: words.length,
    };
  }
}

/** The image's size from its header, refusing what cannot be read or would not fit in memory. */
function checkedSize(image: Buffer): { width: number; height: number } {
  const size = imageSize(image);
  if (!size) {
    throw new AppError(
      'INVALID_INPUT',
      'This image could not be read: its header is damaged. If an image viewer can open it, save it again as PNG or JPEG and import that.',
    );
  }
  const pixels = size.width * size.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new AppError(
      'INVALID_INPUT',
      `This image is ${size.width} × ${size.height} pixels (${Math.round(pixels / 1e6)} megapixels): more than the ${MAX_IMAGE_PIXELS / 1e6} megapixels Little Monster reads, which would need about ${formatBytes(pixels * 4, 'up')} of memory. Scale it down (most photo apps can) and import it again.`,
      { width: size.width, height: size.height, maxPixels: MAX_IMAGE_PIXELS },
    );
  }
  return size;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}
