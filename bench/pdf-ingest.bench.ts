/**
 * PDF text extraction: our importer (pdf.js in a worker thread: text, layout, word boxes,
 * text-layer check) on tracemonkey.pdf against poppler's `pdftotext` on the same file, both
 * end to end, median of several runs. The pdf.js thread stays warm between imports (as when a
 * folder of PDFs is imported), so the first import after start, which also starts the thread,
 * loads pdf.js and runs it before the JIT has warmed up, is shown on its own row. Also: how late
 * the engine's own thread answers while a PDF is read (the work runs in a worker thread).
 * CPU time is shown beside wall time: on a shared 2-core machine other work stretches wall times.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type * as PdfExtractorModule from '../packages/core/src/ingest/pdf-extractor.js';
import type * as PdfWorkersModule from '../packages/core/src/ingest/warm-pdf-workers.js';
import type * as OcrEngineModule from '../packages/core/src/ai/ocr/tesseract-ocr-engine.js';
import { median, ms, percentile, printTable } from './stats.js';

const RUNS = 9;
const PAGES = 14;
const pdf = fixture('pdf/tracemonkey.pdf');
if (spawnSync('pdftotext', ['-v']).error)
  throw new Error('pdftotext is missing: run scripts/install-system-deps.sh');

// Built code (npm run bench builds it), so the worker thread starts from JavaScript as in the app.
const built = (path: string) => import(new URL(`../packages/core/dist/${path}`, import.meta.url).href);
const { extractPdf } = (await built('ingest/pdf-extractor.js')) as typeof PdfExtractorModule;
const { releasePdfWorkers } = (await built('ingest/warm-pdf-workers.js')) as typeof PdfWorkersModule;
const { TesseractOcrEngine } = (await built('ai/ocr/tesseract-ocr-engine.js')) as typeof OcrEngineModule;

/** CPU time (ms) of this process's waited-for children, from /proc (Linux); null elsewhere. */
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond; // cutime + cstime
}
/** This process, every thread (the pdf.js thread's work and the engine thread's share). */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const ocr = new TesseractOcrEngine(); // never started: tracemonkey's text layer is good on every page
const ours: number[] = [];
const oursCpu: number[] = [];
const blocked = monitorEventLoopDelay({ resolution: 1 });
let characters = 0;
let first = 0;
for (let run = 0; run <= RUNS; run++) {
  if (run === 1) blocked.enable(); // the first run warms the file and module caches
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  const document = await extractPdf(pdf, 'tracemonkey', ocr, { signal: new AbortController().signal });
  if (run > 0) {
    ours.push(performance.now() - started);
    oursCpu.push(ownCpuMs() - cpuBefore);
  } else first = performance.now() - started;
  if (document.pages.length !== PAGES)
    throw new Error(`Expected ${PAGES} pages, read ${document.pages.length}`);
  characters = document.pages.reduce((sum, page) => sum + page.text.length, 0);
}
blocked.disable();
await ocr.close();
await releasePdfWorkers();

// Measured after ours: spawnSync blocks this thread, which would show up as a stall above.
const poppler: number[] = [];
const popplerCpu: number[] = [];
for (let run = 0; run <= RUNS; run++) {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const baseline = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (baseline.status !== 0) throw new Error(baseline.stderr);
  const cpuAfter = childrenCpuMs();
  if (run > 0) {
    poppler.push(performance.now() - started);
    if (cpuBefore !== null && cpuAfter !== null) popplerCpu.push(cpuAfter - cpuBefore);
  }
}
const cpu = (samples: number[]) => (samples.length ? ms(median(samples)) : '-');

const pagesPerSecond = (samples: number[]) => `${(PAGES / (median(samples) / 1000)).toFixed(1)} pages/s`;
printTable(`PDF text extraction, tracemonkey.pdf (${PAGES} pages, ${characters} characters), ${RUNS} runs`, [
  {
    what: 'ours: extractPdf, warm pdf.js thread (text + layout + word boxes + checks)',
    median: ms(median(ours)),
    p95: ms(percentile(ours, 95)),
    'median CPU': cpu(oursCpu),
    throughput: pagesPerSecond(ours),
  },
  {
    what: 'ours: first PDF after start (thread start, pdf.js load, cold JIT)',
    median: ms(first),
    p95: '-',
    'median CPU': '-',
    throughput: pagesPerSecond([first]),
  },
  {
    what: 'baseline: pdftotext (process start, plain text)',
    median: ms(median(poppler)),
    p95: ms(percentile(poppler, 95)),
    'median CPU': cpu(popplerCpu),
    throughput: pagesPerSecond(poppler),
  },
  {
    what: 'ours / baseline (warm; target <= 3x)',
    median: `${(median(ours) / median(poppler)).toFixed(2)}x`,
    p95: '-',
    'median CPU': popplerCpu.length ? `${(median(oursCpu) / median(popplerCpu)).toFixed(2)}x` : '-',
    throughput: '-',
  },
  {
    what: 'ours per page (warm; target <= 50 ms)',
    median: ms(median(ours) / PAGES),
    p95: ms(percentile(ours, 95) / PAGES),
    'median CPU': ms(median(oursCpu) / PAGES),
    throughput: '-',
  },
  {
    // On a busy 2-core machine the OS alone delays the loop by 10-30 ms now and then.
    what: "engine thread's event-loop delay while extracting (p99 / max)",
    median: ms(blocked.percentile(99) / 1e6),
    p95: `max ${ms(blocked.max / 1e6)}`,
    'median CPU': '-',
    throughput: '-',
  },
]);
