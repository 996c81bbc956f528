/**
 * PDF text extraction: our importer (pdf.js in a worker thread: text, layout, word boxes,
 * text-layer check) on tracemonkey.pdf against poppler's `pdftotext` on the same file, both
 * end to end (process or worker start included), median of several runs. Also: how late the
 * engine's own thread answers while a PDF is read (the work runs in a worker thread).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type * as PdfExtractorModule from '../packages/core/src/ingest/pdf-extractor.js';
import type * as OcrEngineModule from '../packages/core/src/ai/ocr/tesseract-ocr-engine.js';
import { median, ms, percentile, printTable } from './stats.js';

const RUNS = 9;
const PAGES = 14;
const pdf = fileURLToPath(new URL('../../shared/fixtures/pdf/tracemonkey.pdf', import.meta.url));
if (!existsSync(pdf))
  throw new Error(`Missing ${pdf}: this benchmark reads the shared fixtures beside the repository.`);
if (spawnSync('pdftotext', ['-v']).error)
  throw new Error('pdftotext is missing: run scripts/install-system-deps.sh');

// Built code (npm run bench builds it), so the worker thread starts from JavaScript as in the app.
const built = (path: string) => import(new URL(`../packages/core/dist/${path}`, import.meta.url).href);
const { extractPdf } = (await built('ingest/pdf-extractor.js')) as typeof PdfExtractorModule;
const { TesseractOcrEngine } = (await built('ai/ocr/tesseract-ocr-engine.js')) as typeof OcrEngineModule;

const ocr = new TesseractOcrEngine(); // never started: tracemonkey's text layer is good on every page
const ours: number[] = [];
const blocked = monitorEventLoopDelay({ resolution: 1 });
let characters = 0;
for (let run = 0; run <= RUNS; run++) {
  if (run === 1) blocked.enable(); // the first run warms the file and module caches
  const started = performance.now();
  const document = await extractPdf(pdf, 'tracemonkey', ocr, { signal: new AbortController().signal });
  if (run > 0) ours.push(performance.now() - started);
  if (document.pages.length !== PAGES)
    throw new Error(`Expected ${PAGES} pages, read ${document.pages.length}`);
  characters = document.pages.reduce((sum, page) => sum + page.text.length, 0);
}
blocked.disable();
await ocr.close();

// Measured after ours: spawnSync blocks this thread, which would show up as a stall above.
const poppler: number[] = [];
for (let run = 0; run <= RUNS; run++) {
  const started = performance.now();
  const baseline = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (baseline.status !== 0) throw new Error(baseline.stderr);
  if (run > 0) poppler.push(performance.now() - started);
}

const pagesPerSecond = (samples: number[]) => `${(PAGES / (median(samples) / 1000)).toFixed(1)} pages/s`;
printTable(`PDF text extraction, tracemonkey.pdf (${PAGES} pages, ${characters} characters), ${RUNS} runs`, [
  {
    what: 'ours: extractPdf (worker start, pdf.js text + layout + word boxes + checks)',
    median: ms(median(ours)),
    p95: ms(percentile(ours, 95)),
    throughput: pagesPerSecond(ours),
  },
  {
    what: 'baseline: pdftotext (process start, plain text)',
    median: ms(median(poppler)),
    p95: ms(percentile(poppler, 95)),
    throughput: pagesPerSecond(poppler),
  },
  {
    what: 'ours / baseline',
    median: `${(median(ours) / median(poppler)).toFixed(2)}x`,
    p95: '-',
    throughput: '-',
  },
  {
    // On a busy 2-core machine the OS alone delays the loop by 10-30 ms now and then.
    what: "engine thread's event-loop delay while extracting (p99 / max)",
    median: ms(blocked.percentile(99) / 1e6),
    p95: `max ${ms(blocked.max / 1e6)}`,
    throughput: '-',
  },
]);
