/**
 * pdf.js's legacy build (the one that runs on Node 20) bundles core-js, which on Node 20 replaces
 * `Array.prototype.push`, `JSON.parse` and `JSON.stringify` with JavaScript versions (for
 * proposals Node 20 lacks, such as `JSON.rawJSON`). Every push and every JSON call in the thread
 * then runs through them: measured on tracemonkey.pdf, a third of the text extraction time. The
 * natives are put back once both halves of pdf.js are loaded; the features it adds (e.g.
 * `Promise.withResolvers`, `Map.prototype.getOrInsert`) stay. Only pdf.js's worker thread loads it.
 */
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

type PdfjsModule = typeof Pdfjs;

/** A variable, so TypeScript does not look for types this file does not have. */
const WORKER_MODULE = 'pdfjs-dist/legacy/build/pdf.worker.mjs';

let loading: Promise<PdfjsModule> | null = null;

export function loadPdfjs(): Promise<PdfjsModule> {
  return (loading ??= (async () => {
    const natives = {
      push: Array.prototype.push,
      parse: JSON.parse,
      stringify: JSON.stringify,
    };
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // Loaded now rather than at the first getDocument (it sets the `pdfjsWorker` global that the
    // "fake worker" looks for first), so its own copy of the polyfills is in before the restore.
    await import(WORKER_MODULE);
    Array.prototype.push = natives.push;
    JSON.parse = natives.parse;
    JSON.stringify = natives.stringify;
    return pdfjs;
  })());
}
