/**
 * pdf.js for the browser build. Imported only by browser-main (lazily), never by the package's
 * index, so bundlers without Vite's `?url` (the desktop's esbuild) never see it.
 */
import { getDocument, GlobalWorkerOptions, RenderingCancelledException, TextLayer } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { pdfDocumentView, pdfjsSharedOptions } from './pdf-document-view';
import type { PdfSupport } from './pdf-support';

// A file of this build, same origin: allowed by `script-src 'self'` (and `worker-src 'self'`).
GlobalWorkerOptions.workerSrc = workerUrl;

export const pdfjsSupport: PdfSupport = {
  async open(url) {
    // The data folders are copied beside the build by vite.config.ts.
    const task = getDocument({ url, ...pdfjsSharedOptions() });
    const document_ = await task.promise;
    return pdfDocumentView(
      document_,
      { TextLayer, isCancellation: (error) => error instanceof RenderingCancelledException },
      () => void task.destroy(),
    );
  },
};
