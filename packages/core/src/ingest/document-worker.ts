/**
 * The readers of text, Markdown, Word and PowerPoint files in a worker thread: decoding, cutting
 * into pages, cleaning, unzipping and parsing XML are CPU work (seconds for big files) that would
 * otherwise stall the engine's thread. Pages travel back cleaned, in batches of about a megabyte
 * (packed-document.ts: their text as one buffer moved, not copied), each sent once the engine has
 * taken the one before: a book-sized text file is never whole in memory on either side, and the
 * engine only ever has one small batch to save between other calls.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ProgressReporter } from '../workers/worker-task.js';
import { cleanDocument, cleanPage } from './clean-pages.js';
import { cleanText, HyphenationVocabulary } from './clean-text.js';
import type { DocumentOutline, ExtractedPage } from './extracted-document.js';
import { packPages } from './packed-document.js';
import { TextPages } from './text-extractor.js';
import { textDecoder, type TextEncoding } from './text-encoding.js';
import { PageCutter } from './text-pages.js';
import { serveWarmTasks, Transferring, type BatchEmitter } from '../workers/warm-workers.js';

export type DocumentTask =
  | { kind: 'text'; path: string; format: 'text' | 'markdown'; encoding: TextEncoding; title: string }
  | { kind: 'docx' | 'pptx'; path: string; title: string };

const READ_PIECE_BYTES = 1 << 20;
/** Characters of page text per batch sent to the engine's thread. */
const BATCH_CHARS = 1 << 20;

/** Collects cleaned pages and sends them on in batches of about BATCH_CHARS. */
class PageBatches {
  private pages: ExtractedPage[] = [];
  private chars = 0;

  constructor(private readonly emit: BatchEmitter) {}

  async add(page: ExtractedPage): Promise<void> {
    this.pages.push(page);
    this.chars += page.text.length + (page.notes?.length ?? 0);
    if (this.chars >= BATCH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pages.length === 0) return;
    const { packed, transfer } = packPages(this.pages);
    this.pages = [];
    this.chars = 0;
    await this.emit(new Transferring(packed, transfer));
  }
}

/** The file's text as it streams in, decoded, line ends made `\n`; `onRead` hears of each piece's bytes. */
async function* decodedText(
  task: Extract<DocumentTask, { kind: 'text' }>,
  onRead: (bytes: number) => void,
): AsyncGenerator<string> {
  const decoder = textDecoder(task.encoding);
  let held = '';
  const normalized = (decoded: string, last: boolean) => {
    let text = held + decoded;
    // A \r at the end may be the first half of a \r\n in the next piece.
    held = !last && text.endsWith('\r') ? '\r' : '';
    if (held) text = text.slice(0, -1);
    return text.replace(/\r\n?/g, '\n');
  };
  for await (const piece of createReadStream(task.path, {
    highWaterMark: READ_PIECE_BYTES,
  }) as AsyncIterable<Buffer>) {
    yield normalized(decoder.write(piece), false);
    onRead(piece.length);
  }
  yield normalized(decoder.end(), true);
}

/**
 * Reads a text file in two passes, neither holding more than a page or two: the first learns the
 * document's words (cleaning needs them to tell a word split at a line end from a compound), the
 * second cuts, cleans and sends the pages.
 */
async function readTextFile(
  task: Extract<DocumentTask, { kind: 'text' }>,
  progress: ProgressReporter,
  emit: BatchEmitter,
): Promise<DocumentOutline> {
  const total = Math.max(1, (await stat(task.path)).size);
  const megabytes = (bytes: number) => Math.round(bytes / (1 << 20));
  let read = 0;
  const vocabulary = new HyphenationVocabulary();
  const cutter = new PageCutter({ markdown: task.format === 'markdown' });
  for await (const text of decodedText(task, (bytes) => {
    read += bytes;
    progress((0.2 * read) / total, 'Reading');
  })) {
    for (const page of cutter.push(text)) vocabulary.add(page);
  }
  for (const page of cutter.finish()) vocabulary.add(page);

  const pages = new TextPages(task.format);
  const batches = new PageBatches(emit);
  const send = async (completed: ExtractedPage[]) => {
    for (const page of completed) await batches.add(cleanPage(page, vocabulary).page);
  };
  let replaced = 0;
  read = 0;
  for await (const text of decodedText(task, (bytes) => {
    read += bytes;
    progress(0.2 + (0.8 * read) / total, `Read ${megabytes(read)} of ${megabytes(total)} MB`);
  })) {
    if (task.encoding === 'utf-8') replaced += countReplacements(text);
    await send(pages.add(text));
  }
  await send(pages.finish());
  await batches.flush();
  const outline = pages.outline(task.title);
  if (replaced > 0) {
    outline.warnings.push(
      `This file is not valid UTF-8 in ${replaced === 1 ? 'one place' : `${replaced} places`}: ` +
        'those characters could not be read and show as �. Save it as UTF-8 in a text editor and import it again to keep them.',
    );
  }
  return { ...outline, title: cleanTitle(outline.title) };
}

/** The title cleaned as its pages are (see cleanDocument). */
const cleanTitle = (title: string) => cleanText(title).text.replace(/\s+/g, ' ').trim() || title;

function countReplacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\uFFFD'); at !== -1; at = text.indexOf('\uFFFD', at + 1)) count++;
  return count;
}

/** Word and PowerPoint files are bounded by the unpacking limits (ooxml.ts): read whole, sent in batches. */
async function readOffice(
  task: Extract<DocumentTask, { kind: 'docx' | 'pptx' }>,
  progress: ProgressReporter,
  emit: BatchEmitter,
): Promise<DocumentOutline> {
  const extracted =
    task.kind === 'docx'
      ? await (await import('./docx-extractor.js')).extractDocx(task.path, task.title)
      : await (
          await import('./slides-extractor.js')
        ).extractSlides(task.path, task.title, { onProgress: progress });
  const { pages, ...outline } = cleanDocument(extracted);
  const batches = new PageBatches(emit);
  for (const page of pages) await batches.add(page);
  await batches.flush();
  return outline;
}

serveWarmTasks<DocumentTask, DocumentOutline>((task, progress, emit) =>
  task.kind === 'text' ? readTextFile(task, progress, emit) : readOffice(task, progress, emit),
);
