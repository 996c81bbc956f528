/**
 * pdf.js for the desktop window, loaded the first time a PDF is opened (see main.ts).
 *
 * The page comes from file://, whose origin is opaque: pdf.js would take its own worker file for
 * a cross-origin script and load it through a blob: wrapper the CSP refuses. So each document
 * gets a worker started here from the classic script build.mjs puts beside main.js, and the PDF
 * is read with fetch() from `lm-file:` (main's protocol), so a missing file says why.
 */
import { pdfDocumentView, pdfjsSharedOptions, type PdfSupport } from '@little-monster/ui/pdf-document-view';
import { getDocument, PDFWorker, RenderingCancelledException, TextLayer } from 'pdfjs-dist';

const besideThePage = (path: string) => new URL(path, document.baseURI).href;

/** Built by build.mjs into dist/renderer/pdfjs/, with the data folders pdf.js fetches for some PDFs. */
const WORKER_SCRIPT = 'pdfjs/pdf.worker.js';

async function readOriginal(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  // main answers in words the student can use ("The stored file is missing. Import it again.").
  if (!response.ok) throw new Error((await response.text()) || `HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export const pdfjsSupport: PdfSupport = {
  async open(url) {
    const data = await readOriginal(url);
    // One worker per document: a worker shared through GlobalWorkerOptions.workerPort would be
    // torn down when the first of its documents is closed.
    const thread = new Worker(besideThePage(WORKER_SCRIPT), { name: 'pdf.js' });
    const worker = PDFWorker.create({ port: thread });
    const task = getDocument({ data, worker, ...pdfjsSharedOptions() });
    // getDocument leaves a worker it was given running: stop it with the document.
    const close = () =>
      void task.destroy().finally(() => {
        worker.destroy();
        thread.terminate();
      });

    // A worker that cannot start would leave pdf.js waiting for ever; the viewer shows the text instead.
    const workerFailed = new Promise<never>((_resolve, reject) =>
      thread.addEventListener('error', () => reject(new Error('pdf.js could not start')), { once: true }),
    );

    let pdf: Awaited<typeof task.promise>;
    try {
      pdf = await Promise.race([task.promise, workerFailed]);
    } catch (error) {
      close();
      throw error;
    }
    return pdfDocumentView(
      pdf,
      { TextLayer, isCancellation: (error) => error instanceof RenderingCancelledException },
      close,
    );
  },
};
