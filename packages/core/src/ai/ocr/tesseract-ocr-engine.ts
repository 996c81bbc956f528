import type { Page, Worker as TesseractWorker } from 'tesseract.js';
import { AppError } from '../../contract/index.js';
import { decodeImage, drawTurned } from './image-orientation.js';
import type { OcrEngine, OcrOptions, OcrPage, Rotation } from './ocr-engine.js';
import { defaultTesseractResources, type TesseractResources } from './tesseract-resources.js';
import { pageSizeFromTsv, toOcrPage } from './tesseract-page.js';

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

interface Reading {
  page: Page;
  /** The frame tesseract's boxes are in. */
  size: { width: number; height: number };
  confidence: number;
  wordCount: number;
  /** The image as decoded by tesseract, when asked for (TIFFs, which the canvas cannot decode). */
  decodedPng: Buffer | null;
}

/**
 * OCR with tesseract.js (tesseract compiled to WebAssembly), English "best_int" model, fully
 * offline. One worker thread is started on first use and reused for every page; calls queue.
 *
 * Orientation: tesseract's own orientation detector needs osd.traineddata, which no npm package
 * ships. Instead a page that reads badly upright (mean confidence < 65) is probed: the middle band
 * of the page is read turned 90°, 180° and 270°, and the page is read again in the best turn if
 * that reads clearly better. Upright pages (the common case) cost one pass; small skews (phone
 * photos) are straightened by tesseract's own deskew (`rotateAuto`).
 */
export class TesseractOcrEngine implements OcrEngine {
  private readonly resources: TesseractResources;
  private worker: Promise<TesseractWorker> | null = null;
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
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }

  private async recognizeNow(image: Buffer, options: OcrOptions): Promise<OcrPage> {
    throwIfAborted(options.signal);
    let decoded = await decodeImage(image);
    let input = image;
    let scaleBack = 1;
    const longSide = decoded ? Math.max(decoded.width, decoded.height) : 0;
    if (decoded && longSide > MAX_IMAGE_SIDE) {
      input = await drawTurned(decoded, 0, { scale: MAX_IMAGE_SIDE / longSide });
      decoded = await decodeImage(input);
      scaleBack = longSide / MAX_IMAGE_SIDE;
    }
    const upright = await this.read(input, options, { keepImage: !decoded });
    // Sizes are reported for the image as given (and as viewers show it, EXIF orientation applied).
    const given = {
      width: Math.round(upright.size.width * scaleBack),
      height: Math.round(upright.size.height * scaleBack),
    };
    const asRead = () => toOcrPage(upright.page, upright.size, 0, given);
    if (upright.confidence >= READABLE_CONFIDENCE || upright.wordCount < MIN_WORDS_TO_ORIENT) return asRead();
    decoded ??= upright.decodedPng ? await decodeImage(upright.decodedPng) : null;
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
    return toOcrPage(turned.page, turned.size, best.rotation, given);
  }

  /** One tesseract pass; aborting terminates the worker (the only way to stop a pass). */
  private async read(
    image: Buffer,
    options: OcrOptions,
    extra: { keepImage?: boolean; deskew?: boolean } = {},
  ): Promise<Reading> {
    throwIfAborted(options.signal);
    const worker = await this.startedWorker();
    const parameters: Record<string, unknown> = { rotateAuto: extra.deskew ?? true };
    if (options.dpi) parameters.user_defined_dpi = String(Math.round(options.dpi));
    const recognition = worker.recognize(image, parameters, {
      text: false,
      blocks: true,
      tsv: true,
      imageColor: extra.keepImage === true,
    });
    const { data } = await this.untilDone(recognition, worker, options.signal);
    const words = (data.blocks ?? []).flatMap((block) =>
      block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words)),
    );
    const size = pageSizeFromTsv(data.tsv);
    if (!size) throw new AppError('INTERNAL', 'Text recognition returned no page size.');
    return {
      page: data,
      size,
      confidence: words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0,
      wordCount: words.length,
      decodedPng: data.imageColor
        ? Buffer.from(data.imageColor.replace(/^data:image\/\w+;base64,/, ''), 'base64')
        : null,
    };
  }

  /** Settles with the job, or rejects when the signal aborts or the worker thread dies. */
  private untilDone<T>(job: Promise<T>, worker: TesseractWorker, signal: AbortSignal): Promise<T> {
    const thread = (worker as unknown as { worker: NodeJS.EventEmitter | null }).worker;
    return new Promise<T>((resolve, reject) => {
      const cleanUp = () => {
        signal.removeEventListener('abort', onAbort);
        thread?.off('exit', onExit);
      };
      const onAbort = () => {
        cleanUp();
        this.discardWorker();
        reject(new AppError('CANCELLED', 'Cancelled.'));
      };
      const onExit = () => {
        cleanUp();
        this.worker = null;
        reject(
          new AppError('INTERNAL', 'Text recognition stopped unexpectedly (it may have run out of memory).'),
        );
      };
      if (signal.aborted) return onAbort(); // aborted while the worker was starting
      signal.addEventListener('abort', onAbort, { once: true });
      thread?.once('exit', onExit);
      job.then(
        (value) => {
          cleanUp();
          resolve(value);
        },
        (error: unknown) => {
          cleanUp();
          reject(
            new AppError(
              'INVALID_INPUT',
              `This image could not be read: ${String(error).replace(/^Error: /, '')}`,
            ),
          );
        },
      );
    });
  }

  private discardWorker(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.then((started) => started.terminate()).catch(() => undefined);
  }

  private startedWorker(): Promise<TesseractWorker> {
    this.worker ??= (async () => {
      const { createWorker, OEM, PSM } = await import('tesseract.js');
      const worker = await createWorker('eng', OEM.LSTM_ONLY, {
        langPath: this.resources.langPath,
        workerPath: this.resources.workerPath,
        gzip: true,
        // The model is read from langPath each start; never write a cached copy into the working folder.
        cacheMethod: 'none',
        // Without a handler tesseract.js throws from its message listener when a job fails.
        errorHandler: () => undefined,
      });
      await worker.setParameters({
        tessedit_pageseg_mode: PSM.AUTO, // finds columns; the single-block default runs them together
        debug_file: '/dev/null', // keeps "Estimating resolution" notes off the engine's stderr
      });
      return worker;
    })();
    const starting = this.worker;
    starting.catch(() => {
      if (this.worker === starting) this.worker = null;
    });
    return starting;
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}
