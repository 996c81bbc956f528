/**
 * The readers of text, Markdown, Word and PowerPoint files in a worker thread: decoding, cutting
 * into pages, unzipping and parsing XML are CPU work (seconds for big files) that would otherwise
 * stall the engine's thread. The result travels back packed (packed-document.ts): the pages' text
 * as one buffer moved, not copied, and unpacked page by page on the other side.
 */
import { createReadStream } from 'node:fs';
import type { ProgressReporter } from '../workers/worker-task.js';
import type { ExtractedDocument } from './extracted-document.js';
import { packDocument } from './packed-document.js';
import { TextPages } from './text-extractor.js';
import { textDecoder, type TextEncoding } from './text-encoding.js';
import { serveWarmTasks, Transferring } from '../workers/warm-workers.js';

export type DocumentTask =
  | { kind: 'text'; path: string; format: 'text' | 'markdown'; encoding: TextEncoding; title: string }
  | { kind: 'docx' | 'pptx'; path: string; title: string };

const READ_PIECE_BYTES = 1 << 20;

/** Reads a text file as it streams in: decoded, line ends made `\n`, cut into pages. */
async function readTextFile(
  task: Extract<DocumentTask, { kind: 'text' }>,
  progress: ProgressReporter,
): Promise<ExtractedDocument> {
  const pages = new TextPages(task.format);
  const decoder = textDecoder(task.encoding);
  let replaced = 0;
  let held = '';
  const add = (decoded: string, last: boolean) => {
    let text = held + decoded;
    // A \r at the end may be the first half of a \r\n in the next piece.
    held = !last && text.endsWith('\r') ? '\r' : '';
    if (held) text = text.slice(0, -1);
    if (task.encoding === 'utf-8') replaced += countReplacements(text);
    pages.add(text.replace(/\r\n?/g, '\n'));
  };
  let read = 0;
  for await (const piece of createReadStream(task.path, {
    highWaterMark: READ_PIECE_BYTES,
  }) as AsyncIterable<Buffer>) {
    add(decoder.write(piece), false);
    read += piece.length;
    progress(null, `Read ${Math.round(read / (1 << 20))} MB`);
  }
  add(decoder.end(), true);
  const document = pages.finish(task.title);
  if (replaced > 0) {
    document.warnings.push(
      `This file is not valid UTF-8 in ${replaced === 1 ? 'one place' : `${replaced} places`}: ` +
        'those characters could not be read and show as �. Save it as UTF-8 in a text editor and import it again to keep them.',
    );
  }
  return document;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\uFFFD'); at !== -1; at = text.indexOf('\uFFFD', at + 1)) count++;
  return count;
}

async function read(task: DocumentTask, progress: ProgressReporter): Promise<ExtractedDocument> {
  switch (task.kind) {
    case 'text':
      return readTextFile(task, progress);
    case 'docx': {
      const { extractDocx } = await import('./docx-extractor.js');
      return extractDocx(task.path, task.title);
    }
    case 'pptx': {
      const { extractSlides } = await import('./slides-extractor.js');
      return extractSlides(task.path, task.title, { onProgress: progress });
    }
  }
}

serveWarmTasks<DocumentTask, ReturnType<typeof packDocument>['packed']>(async (task, progress) => {
  const { packed, transfer } = packDocument(await read(task, progress));
  return new Transferring(packed, transfer);
});
