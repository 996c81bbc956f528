import { AppError } from '../../contract/index.js';
import { workerScript } from '../../workers/worker-task.js';
import { WarmWorkers } from '../../workers/warm-workers.js';
import type { Image } from '@napi-rs/canvas';
import { decodeImage, drawTurned } from './image-orientation.js';
import { imageSize } from './image-size.js';
import type { OcrEngine, OcrOptions, OcrPage, Rotation } from './ocr-engine.js';
import { defaultTesseractResources, type TesseractResources } from './tesseract-resources.js';
import { toOcrPage } from './tesseract-page.js';
import type { TesseractOutcome, TesseractParagraph, TesseractTask } from './tesseract-worker.js';

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
  /** The image as decoded by tesseract, when asked for (TIFFs, which the canvas cannot decode). */
  decodedPng: Buffer | null;
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
    // The size is read from the file's header: decoding the whole image on the engine's thread
    // (a tenth of a second for a phone photo) is left to the cases that need the pixels.
    let decoded: Image | null = null;
    let size = imageSize(image);
    if (!size) {
      decoded = await decodeImage(image);
      size = decoded && { width: decoded.width, height: decoded.height };
    }
    let input = image;
    let scaleBack = 1;
    const longSide = size ? Math.max(size.width, size.height) : 0;
    if (longSide > MAX_IMAGE_SIDE) {
      decoded ??= await decodeImage(image);
      if (decoded) {
        input = await drawTurned(decoded, 0, { scale: MAX_IMAGE_SIDE / longSide });
        decoded = await decodeImage(input);
        scaleBack = longSide / MAX_IMAGE_SIDE;
      }
    }
    // Formats the canvas cannot decode (TIFF) come back from tesseract as PNG, in case they must be turned.
    const upright = await this.read(input, options, { keepImage: !size });
    // Sizes are reported for the image as given (and as viewers show it, EXIF orientation applied).
    const given = {
      width: Math.round(upright.size.width * scaleBack),
      height: Math.round(upright.size.height * scaleBack),
    };
    const asRead = () => toOcrPage(upright.paragraphs, upright.size, 0, given);
    if (upright.confidence >= READABLE_CONFIDENCE || upright.wordCount < MIN_WORDS_TO_ORIENT) return asRead();
    decoded ??= await decodeImage(upright.decodedPng ?? input);
    if (!decoded) return asRead();

    let best: { rotation: Rotation; confidence: number } = { rotation: 0, confidence: 0 };
    for (const rotation of [180, 90, 270] as const) {
      const band = await drawTurned(decoded, rotation, { band: PROBE_BAND });
      const probe = await this.read(band, options, { deskew: false });
      if (probe.wordCount >= MIN_WORDS_TO_ORIENT && probe.confidence > best.confidence) {
        best = { rotation, confidence: probe.confidence };
      }
      if (best.confidence >= CONVINCING_CONFIDENCE) break;
    }
    if (best.confidence < TURNED_MIN_CONFIDENCE || best.confidence < upright.confidence + TURNED_MIN_GAIN) {
      return asRead();
    }
    const turned = await this.read(await drawTurned(decoded, best.rotation), options);
    if (turned.confidence <= upright.confidence) return asRead();
    return toOcrPage(turned.paragraphs, turned.size, best.rotation, given);
  }

  /** One tesseract pass; aborting ends the worker thread (the only way to stop a pass). */
  private async read(
    image: Buffer,
    options: OcrOptions,
    extra: { keepImage?: boolean; deskew?: boolean } = {},
  ): Promise<Reading> {
    throwIfAborted(options.signal);
    const task: TesseractTask = {
      image,
      langPath: this.resources.langPath,
      deskew: extra.deskew ?? true,
      keepImage: extra.keepImage === true,
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
    const { paragraphs, size, decodedPng } = outcome.reading;
    const words = paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words));
    return {
      paragraphs,
      size,
      confidence: words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0,
      wordCount: words.length,
      decodedPng: decodedPng
        ? Buffer.from(decodedPng.buffer, decodedPng.byteOffset, decodedPng.byteLength)
        : null,
    };
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}
