/**
 * pdf.js for the browser build. Imported only by browser-main (lazily), never by the package's
 * index, so bundlers without Vite's `?url` (the desktop's esbuild) never see it.
 */
import { getDocument, GlobalWorkerOptions, RenderingCancelledException } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PdfDocumentView, PdfSupport } from './pdf-support';

// A file of this build, same origin: allowed by `script-src 'self'` (and `worker-src 'self'`).
GlobalWorkerOptions.workerSrc = workerUrl;

/** Character maps, standard fonts, colour profiles and image decoders, copied beside the build (vite.config.ts). */
const assetUrl = (folder: string) => new URL(`pdfjs/${folder}/`, document.baseURI).href;

export const pdfjsSupport: PdfSupport = {
  async open(url) {
    const task = getDocument({
      url,
      // No eval under the app's CSP; pdf.js has a slower path without it.
      isEvalSupported: false,
      cMapUrl: assetUrl('cmaps'),
      cMapPacked: true,
      standardFontDataUrl: assetUrl('standard_fonts'),
      wasmUrl: assetUrl('wasm'),
      iccUrl: assetUrl('iccs'),
    });
    const document_ = await task.promise;
    const view: PdfDocumentView = {
      pageCount: document_.numPages,
      async renderPage(pageNumber, canvas, cssWidth, signal) {
        const page = await document_.getPage(pageNumber);
        if (signal.aborted) return;
        const scale = cssWidth / page.getViewport({ scale: 1 }).width;
        // Sharp on high-density screens: draw at device pixels, show at CSS pixels.
        const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        const rendering = page.render({ canvas, viewport });
        const stop = () => rendering.cancel();
        signal.addEventListener('abort', stop, { once: true });
        try {
          await rendering.promise;
        } catch (error) {
          if (!(error instanceof RenderingCancelledException)) throw error;
        } finally {
          signal.removeEventListener('abort', stop);
        }
      },
      close: () => void task.destroy(),
    };
    return view;
  },
};
