/**
 * tesseract (tesseract.js-core: tesseract compiled to WebAssembly) in a worker thread, driven
 * directly rather than through tesseract.js's own worker, so a page costs its recognition and
 * little more. tesseract.js can only hand results over as its JSON (every symbol with its
 * alternatives, about 2 MB a page) or as TSV/hOCR text, which together took a fifth of each
 * page's time; here tesseract's result iterator is walked for exactly what the engine keeps.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serveWarmTasks } from '../../workers/warm-workers.js';
import { exifOrientation } from './exif-orientation.js';
import { decodeImage, drawTurned } from './image-orientation.js';
import type { Rotation } from './ocr-engine.js';

export interface TesseractTask {
  image: Uint8Array;
  /** Folder holding `eng.traineddata.gz`. */
  langPath: string;
  dpi?: number;
  /** Straighten a slightly skewed page first (tesseract measures the skew as it finds the lines). */
  deskew: boolean;
  /** Read the image turned, scaled, or only a band of it (decoded here, never on the engine's thread). */
  transform?: ImageTransform;
}

export interface ImageTransform {
  rotation: Rotation;
  scale: number;
  /** A horizontal band of the turned image, as fractions of its height. */
  band?: { top: number; height: number };
}

export interface TesseractWord {
  text: string;
  /** 0..100. */
  confidence: number;
  /** Pixels of the image as read: left, top, right, bottom. */
  box: [number, number, number, number];
}

export interface TesseractLine {
  words: TesseractWord[];
  /** Median height of the line's sampled x-height letters (a, c, e, m…), or null when it has none. */
  xHeight: number | null;
}

export interface TesseractParagraph {
  /** Part of a block tesseract took for a table. */
  table: boolean;
  lines: TesseractLine[];
}

export interface TesseractReading {
  paragraphs: TesseractParagraph[];
  /** The frame the boxes are in: the image as read (EXIF turn and deskew applied). */
  size: { width: number; height: number };
}

export type TesseractOutcome =
  { ok: true; reading: TesseractReading } | { ok: false; failure: 'start' | 'image'; reason: string };

/** The parts of tesseract.js-core's API used here (its bindings are untyped). */
interface ResultIterator {
  Begin(): void;
  Next(level: number): boolean;
  Empty(level: number): boolean;
  IsAtBeginningOf(level: number): boolean;
  BlockType(): number;
  GetUTF8Text(level: number): string;
  Confidence(level: number): number;
  getBoundingBox(level: number): { x0: number; y0: number; x1: number; y1: number };
  __destroy__(): void;
}
interface TessBaseApi {
  Init(dataPath: string | null, language: string, oem: number): number;
  SetVariable(name: string, value: string): boolean;
  SaveParameters(): void;
  RestoreParameters(): void;
  SetImageFile(exifOrientation: number, angle: number): number;
  FindLines(): number;
  GetGradient(): number;
  Recognize(monitor: null): number;
  GetIterator(): ResultIterator | null;
  GetInputImage(): { get_w(): number; get_h(): number };
  /** Writes the image of the given type to /image.png. */
  WriteImage(type: number): void;
  Clear(): void;
}
interface TesseractCore {
  TessBaseAPI: new () => TessBaseApi;
  FS: {
    writeFile(path: string, data: Uint8Array | string): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
  };
}

/** tesseract's PageIteratorLevel. */
const Level = { Block: 0, Paragraph: 1, Line: 2, Word: 3, Symbol: 4 } as const;
const OEM_LSTM_ONLY = 1;
const PSM_AUTO = '3'; // finds columns; the single-block default runs them together
const TABLE_BLOCK = 6;
const NON_TEXT_BLOCKS = new Set([9, 10, 11, 12, 13, 14]); // images, rules, noise
/** Skews under this (radians, about 0.3°) are left alone: straightening costs a second layout pass. */
const MIN_SKEW = 0.005;
const X_HEIGHT_LETTER = /^[acemnorsuvwxz]$/;
/** Words per line whose letters are measured for the x-height: enough for a median, and cheap. */
const X_HEIGHT_WORDS_PER_LINE = 3;
/** tesseract.js-core's image types for WriteImage. */
const COLOR_IMAGE = 0;

let started: Promise<{ core: TesseractCore; api: TessBaseApi }> | null = null;

/** Loads the WebAssembly build (SIMD when the runtime has it, as every current one does) and the model. */
function start(langPath: string): Promise<{ core: TesseractCore; api: TessBaseApi }> {
  return (started ??= (async () => {
    // Resolved from tesseract.js, whose engine this is, so it is found wherever npm placed it.
    const fromTesseractJs = createRequire(createRequire(import.meta.url).resolve('tesseract.js'));
    const build = hasWasmSimd() ? 'tesseract-core-simd-lstm' : 'tesseract-core-lstm';
    const load = fromTesseractJs(`tesseract.js-core/${build}`) as (options: object) => Promise<TesseractCore>;
    // Leptonica's notes ("pixRead: pix not read") would land on the engine's stderr; failures are
    // reported through return codes instead.
    const quiet = { print: () => undefined, printErr: () => undefined };
    const [core, model] = await Promise.all([load(quiet), readFile(join(langPath, 'eng.traineddata.gz'))]);
    core.FS.writeFile('/eng.traineddata', gunzipSync(model));
    const api = new core.TessBaseAPI();
    if (api.Init(null, 'eng', OEM_LSTM_ONLY) !== 0) throw new Error('the English model could not be loaded');
    api.SetVariable('tessedit_pageseg_mode', PSM_AUTO);
    api.SetVariable('debug_file', '/dev/null'); // keeps "Estimating resolution" notes off stderr
    return { core, api };
  })());
}

/** A module using SIMD instructions validates only where WebAssembly SIMD is supported. */
function hasWasmSimd(): boolean {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b]; // one function type: () -> v128
  const functions = [0x03, 0x02, 0x01, 0x00];
  // i32.const 0; i8x16.splat; i8x16.popcnt; end
  const code = [0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b];
  // Node's types leave WebAssembly to the DOM library, which the engine does not include.
  const { WebAssembly: wasm } = globalThis as unknown as {
    WebAssembly: { validate(bytes: Uint8Array): boolean };
  };
  return wasm.validate(new Uint8Array([...header, ...types, ...functions, ...code]));
}

async function recognize(task: TesseractTask): Promise<TesseractOutcome> {
  let engine: { core: TesseractCore; api: TessBaseApi };
  try {
    engine = await start(task.langPath);
  } catch (error) {
    started = null;
    return { ok: false, failure: 'start', reason: error instanceof Error ? error.message : String(error) };
  }
  const { core, api } = engine;
  const image = task.transform ? await transformed(task.image, task.transform, engine) : task.image;
  if (!image) return { ok: false, failure: 'image', reason: 'not an image that can be decoded' };
  api.SaveParameters();
  try {
    if (task.dpi) api.SetVariable('user_defined_dpi', String(Math.round(task.dpi)));
    core.FS.writeFile('/input', image);
    const orientation = exifOrientation(image);
    if (api.SetImageFile(orientation, 0) !== 0) {
      return { ok: false, failure: 'image', reason: 'not an image tesseract can decode' };
    }
    if (task.deskew) {
      api.FindLines(); // kept for recognition when the page is straight enough
      const skew = api.GetGradient();
      if (Math.abs(skew) >= MIN_SKEW) api.SetImageFile(orientation, skew);
    }
    api.Recognize(null);
    const input = api.GetInputImage();
    return {
      ok: true,
      reading: {
        paragraphs: readParagraphs(api),
        size: { width: input.get_w(), height: input.get_h() },
      },
    };
  } finally {
    api.RestoreParameters();
    api.Clear();
  }
}

function readParagraphs(api: TessBaseApi): TesseractParagraph[] {
  const paragraphs: TesseractParagraph[] = [];
  const iterator = api.GetIterator();
  if (!iterator) return paragraphs;
  try {
    iterator.Begin();
    let blockType = 0;
    let paragraph: TesseractParagraph | null = null;
    let line: (TesseractLine & { heights: number[]; sampled: number }) | null = null;
    let more = true;
    while (more) {
      if (iterator.Empty(Level.Word)) {
        more = iterator.Next(Level.Word);
        continue;
      }
      if (iterator.IsAtBeginningOf(Level.Block)) blockType = iterator.BlockType();
      if (NON_TEXT_BLOCKS.has(blockType)) {
        more = iterator.Next(Level.Word);
        continue;
      }
      if (!paragraph || iterator.IsAtBeginningOf(Level.Paragraph)) {
        paragraph = { table: blockType === TABLE_BLOCK, lines: [] };
        paragraphs.push(paragraph);
        line = null;
      }
      if (!line || iterator.IsAtBeginningOf(Level.Line)) {
        if (line) finishLine(line);
        line = { words: [], xHeight: null, heights: [], sampled: 0 };
        paragraph.lines.push(line);
      }
      const text = iterator.GetUTF8Text(Level.Word).trim();
      const { x0, y0, x1, y1 } = iterator.getBoundingBox(Level.Word);
      line.words.push({ text, confidence: iterator.Confidence(Level.Word), box: [x0, y0, x1, y1] });
      // The x-height is measured on the letters of a few words a line: stepping through every
      // symbol of the page costs as much as all the rest of this walk.
      const letters = Array.from(text);
      let movedOn = false;
      if (line.sampled < X_HEIGHT_WORDS_PER_LINE && letters.some((letter) => X_HEIGHT_LETTER.test(letter))) {
        line.sampled++;
        for (let index = 0; index < letters.length; index++) {
          if (X_HEIGHT_LETTER.test(letters[index]!)) {
            const symbol = iterator.getBoundingBox(Level.Symbol);
            line.heights.push(symbol.y1 - symbol.y0);
          }
          if (index === letters.length - 1) break;
          more = iterator.Next(Level.Symbol);
          // Fewer symbols than letters (one symbol for two characters): stop at the word's end.
          if (!more || iterator.IsAtBeginningOf(Level.Word)) {
            movedOn = true;
            break;
          }
        }
      }
      if (!movedOn) more = iterator.Next(Level.Word);
    }
    if (line) finishLine(line);
  } finally {
    iterator.__destroy__();
  }
  return paragraphs;
}

function finishLine(line: TesseractLine & { heights: number[]; sampled: number }): void {
  const heights = line.heights.sort((a, b) => a - b);
  line.xHeight = heights.length ? heights[heights.length >> 1]! : null;
  delete (line as Partial<typeof line>).heights;
  delete (line as Partial<typeof line>).sampled;
}

/**
 * The image turned and scaled as asked, as PNG. The canvas decodes PNG, JPEG and WebP; anything
 * else (TIFF) is decoded by tesseract first. The engine checked the image's size from its header.
 */
async function transformed(
  bytes: Uint8Array,
  transform: ImageTransform,
  { core, api }: { core: TesseractCore; api: TessBaseApi },
): Promise<Buffer | null> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let decoded = await decodeImage(buffer);
  if (!decoded) {
    core.FS.writeFile('/input', bytes);
    try {
      if (api.SetImageFile(exifOrientation(bytes), 0) !== 0) return null;
      api.WriteImage(COLOR_IMAGE);
      const png = core.FS.readFile('/image.png');
      core.FS.unlink('/image.png');
      decoded = await decodeImage(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    } catch {
      return null;
    } finally {
      api.Clear();
    }
  }
  if (!decoded) return null;
  return drawTurned(decoded, transform.rotation, {
    scale: transform.scale,
    ...(transform.band ? { band: transform.band } : {}),
  });
}

serveWarmTasks<TesseractTask, TesseractOutcome>((task) => recognize(task));
