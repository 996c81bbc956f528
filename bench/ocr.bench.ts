/**
 * OCR of one page (fixtures/images/tracemonkey-page2.png, 1275x1650 at 150 dpi): our
 * TesseractOcrEngine (tesseract.js, WebAssembly, English best_int model, one reused worker) against
 * the native `tesseract` CLI (Debian's build and model) on the same image, with word recall
 * against the page's real text so speed is not bought with accuracy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type * as OcrEngineModule from '../packages/core/src/ai/ocr/tesseract-ocr-engine.js';
import { wordRecall } from '../packages/core/src/ingest/test-support/word-accuracy.js';
import { median, ms, percentile, printTable } from './stats.js';

const RUNS = 5;
const fixtures = fileURLToPath(new URL('../../shared/fixtures/images/', import.meta.url));
const image = `${fixtures}tracemonkey-page2.png`;
if (!existsSync(image))
  throw new Error(`Missing ${image}: this benchmark reads the shared fixtures beside the repository.`);
if (spawnSync('tesseract', ['--version']).error)
  throw new Error('tesseract is missing: run scripts/install-system-deps.sh');
const reference = readFileSync(`${fixtures}tracemonkey-page2.txt`, 'utf8');

// Built code (npm run bench builds it), as the app runs it.
const { TesseractOcrEngine } = (await import(
  new URL('../packages/core/dist/ai/ocr/tesseract-ocr-engine.js', import.meta.url).href
)) as typeof OcrEngineModule;

const engine = new TesseractOcrEngine();
const signal = new AbortController().signal;
const bytes = readFileSync(image);
let started = performance.now();
let text = (await engine.recognize(bytes, { signal })).text;
const firstPage = performance.now() - started;
const ours: number[] = [];
for (let run = 0; run < RUNS; run++) {
  started = performance.now();
  text = (await engine.recognize(bytes, { signal })).text;
  ours.push(performance.now() - started);
}
await engine.close();
const ourRecall = wordRecall(reference, text);

/** The CLI as people run it, and pinned to one thread (its OpenMP threads thrash on 2 cores). */
function native(threads: 'default' | 'one'): { samples: number[]; recall: number } {
  const env = threads === 'one' ? { ...process.env, OMP_THREAD_LIMIT: '1' } : process.env;
  const samples: number[] = [];
  let output = '';
  for (let run = 0; run <= RUNS; run++) {
    const start = performance.now();
    const result = spawnSync('tesseract', [image, 'stdout', '-l', 'eng'], { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(result.stderr);
    if (run > 0) samples.push(performance.now() - start);
    output = result.stdout;
  }
  return { samples, recall: wordRecall(reference, output) };
}
const oneThread = native('one');
const defaultThreads = native('default');

const row = (what: string, samples: number[], recall: number) => ({
  what,
  median: ms(median(samples)),
  p95: ms(percentile(samples, 95)),
  'word recall': recall.toFixed(3),
});
printTable(`OCR of one page, tracemonkey-page2.png (${RUNS} runs each)`, [
  row('ours: TesseractOcrEngine.recognize, warm worker', ours, ourRecall),
  {
    what: 'ours: first page, including worker and model start',
    median: ms(firstPage),
    p95: '-',
    'word recall': '-',
  },
  row('baseline: native tesseract CLI, OMP_THREAD_LIMIT=1', oneThread.samples, oneThread.recall),
  row('baseline: native tesseract CLI, default threads', defaultThreads.samples, defaultThreads.recall),
  {
    what: 'ours / native (one thread)',
    median: `${(median(ours) / median(oneThread.samples)).toFixed(2)}x`,
    p95: '-',
    'word recall': '-',
  },
]);
