import type { PDFDocumentProxy, PDFPageProxy, TextLayer } from 'pdfjs-dist';
import type { PdfDocumentView } from './pdf-support';

export type { PageSize, PdfDocumentView, PdfSupport } from './pdf-support';

/**
 * getDocument's options both builds share: no eval (the app's CSP forbids it; pdf.js has a
 * slower path without it), and pdf.js's character maps, standard fonts, image decoders and colour
 * profiles, which both builds ship under `pdfjs/` beside the page, so every PDF draws offline.
 */
export function pdfjsSharedOptions(pageUrl: string = document.baseURI) {
  const folder = (name: string) => new URL(`pdfjs/${name}/`, pageUrl).href;
  return {
    isEvalSupported: false,
    // Its WebAssembly (ICC colours, JPX/JBIG2 decoders) needs 'wasm-unsafe-eval', which the
    // CSP does not give: pdf.js then uses its JavaScript paths instead of failing on every page.
    useWasm: false,
    cMapUrl: folder('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: folder('standard_fonts'),
    wasmUrl: folder('wasm'),
    iccUrl: folder('iccs'),
  };
}

/** What the viewer needs of the pdf.js module; each build loads its own copy. */
export interface PdfjsLibrary {
  TextLayer: typeof TextLayer;
  /** pdf.js's own "the drawing was cancelled" check (RenderingCancelledException). */
  isCancellation(error: unknown): boolean;
}

/**
 * A loaded pdf.js document as the viewer draws it. Shared by the browser and desktop builds,
 * which load pdf.js differently.
 * A package entry of its own (`@little-monster/ui/pdf-document-view`), so the desktop's pdf.js
 * chunk does not pull in the whole UI.
 */
export function pdfDocumentView(
  pdf: PDFDocumentProxy,
  pdfjs: PdfjsLibrary,
  close: () => void,
): PdfDocumentView {
  const scaleFor = (page: PDFPageProxy, cssWidth: number) => cssWidth / page.getViewport({ scale: 1 }).width;
  return {
    pageCount: pdf.numPages,
    async pageSize(pageNumber) {
      const { width, height } = (await pdf.getPage(pageNumber)).getViewport({ scale: 1 });
      return { width, height };
    },
    async renderPage(pageNumber, canvas, cssWidth, signal) {
      const page = await pdf.getPage(pageNumber);
      if (signal.aborted) return;
      // Sharp on high-density screens: draw at device pixels, show at CSS pixels.
      const viewport = page.getViewport({ scale: scaleFor(page, cssWidth) * (window.devicePixelRatio || 1) });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      const rendering = page.render({ canvas, viewport });
      const stop = () => rendering.cancel();
      signal.addEventListener('abort', stop, { once: true });
      try {
        await rendering.promise;
      } catch (error) {
        if (!pdfjs.isCancellation(error)) throw error;
      } finally {
        signal.removeEventListener('abort', stop);
      }
    },
    async renderTextLayer(pageNumber, container, cssWidth, signal) {
      const page = await pdf.getPage(pageNumber);
      if (signal.aborted) return;
      const scale = scaleFor(page, cssWidth);
      // The layer sizes its spans from this variable, as pdf.js's own viewer sets it on a page.
      container.style.setProperty('--total-scale-factor', String(scale));
      container.replaceChildren();
      const layer = new pdfjs.TextLayer({
        textContentSource: page.streamTextContent(),
        container,
        viewport: page.getViewport({ scale }),
      });
      const stop = () => layer.cancel();
      signal.addEventListener('abort', stop, { once: true });
      try {
        await layer.render();
      } catch (error) {
        if (!signal.aborted) throw error;
      } finally {
        signal.removeEventListener('abort', stop);
      }
    },
    close,
  };
}
