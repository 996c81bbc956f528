/**
 * OCR of one page (fixtures/images/tracemonkey-page2.png, 1275x1650 at 150 dpi): our
 * TesseractOcrEngine (tesseract.js-core, WebAssembly, English best_int model, one reused worker
 * thread) against the native `tesseract` CLI (Debian's build and model, and also with our model)
 * on the same image, with word recall against the page's real text so speed is not bought with
 * accuracy. Wall time and CPU time are both shown: on a shared 2-core machine other work
 * stretches wall times, while CPU time (this process for ours, the child for the CLI) is what
 * each side really spent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type * as OcrEngineModule from '../packages/core/src/ai/ocr/tesseract-ocr-engine.js';
import { wordRecall } from '../packages/core/src/ingest/test-support/word-accuracy.js';
import { median, ms, percentile, printTable } from './stats.js';

const RUNS = 5;
const image = fixture('images/tracemonkey-page2.png');
if (spawnSync('tesseract', ['--version']).error)
  throw new Error('tesseract is missing: run scripts/install-system-deps.sh');
const reference = readFileSync(fixture('images/tracemonkey-page2.txt'), 'utf8');

// Built code (npm run bench builds it), as the app runs it.
const { TesseractOcrEngine } = (await import(
  new URL('../packages/core/dist/ai/ocr/tesseract-ocr-engine.js', import.meta.url).href
)) as typeof OcrEngineModule;

/** CPU time (ms) of this process's waited-for children, from /proc (Linux); null elsewhere. */
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond; // cutime + cstime
}
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Samples {
  wall: number[];
  cpu: number[];
  recall: number;
}

const engine = new TesseractOcrEngine();
const signal = new AbortController().signal;
const bytes = readFileSync(image);
let started = performance.now();
let text = (await engine.recognize(bytes, { signal })).text;
const firstPage = performance.now() - started;
const ours: Samples = { wall: [], cpu: [], recall: 0 };
for (let run = 0; run < RUNS; run++) {
  const cpuBefore = ownCpuMs();
  started = performance.now();
  text = (await engine.recognize(bytes, { signal })).text;
  ours.wall.push(performance.now() - started);
  ours.cpu.push(ownCpuMs() - cpuBefore);
}
await engine.close();
ours.recall = wordRecall(reference, text);

// Our model for the CLI too, to tell the engines apart from the models.
const ourModelDir = mkdtempSync(join(tmpdir(), 'lm-ocr-bench-'));
const ourModel = fileURLToPath(
  new URL('../node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz', import.meta.url),
);
writeFileSync(join(ourModelDir, 'eng.traineddata'), gunzipSync(readFileSync(ourModel)));

/** The CLI as people run it, and pinned to one thread (its OpenMP threads thrash on 2 cores). */
function native(threads: 'default' | 'one', model: 'debian' | 'ours' = 'debian'): Samples {
  const env = threads === 'one' ? { ...process.env, OMP_THREAD_LIMIT: '1' } : process.env;
  const args = [image, 'stdout', '-l', 'eng', ...(model === 'ours' ? ['--tessdata-dir', ourModelDir] : [])];
  const samples: Samples = { wall: [], cpu: [], recall: 0 };
  let output = '';
  for (let run = 0; run <= RUNS; run++) {
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const result = spawnSync('tesseract', args, { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(result.stderr);
    const cpuAfter = childrenCpuMs();
    if (run > 0) {
      samples.wall.push(performance.now() - start);
      if (cpuBefore !== null && cpuAfter !== null) samples.cpu.push(cpuAfter - cpuBefore);
    }
    output = result.stdout;
  }
  samples.recall = wordRecall(reference, output);
  return samples;
}
const oneThread = native('one');
const oneThreadOurModel = native('one', 'ours');
const defaultThreads = native('default');
rmSync(ourModelDir, { recursive: true, force: true });

const cpuOf = (samples: Samples) => (samples.cpu.length ? ms(median(samples.cpu)) : '-');
const row = (what: string, samples: Samples) => ({
  what,
  'median wall': ms(median(samples.wall)),
  'p95 wall': ms(percentile(samples.wall, 95)),
  'median CPU': cpuOf(samples),
  'word recall': samples.recall.toFixed(3),
});
const ratio = (a: number[], b: number[]) =>
  a.length && b.length ? `${(median(a) / median(b)).toFixed(2)}x` : '-';
printTable(`OCR of one page, tracemonkey-page2.png (${RUNS} runs each)`, [
  row('ours: TesseractOcrEngine.recognize, warm worker', ours),
  {
    what: 'ours: first page, including worker and model start',
    'median wall': ms(firstPage),
    'p95 wall': '-',
    'median CPU': '-',
    'word recall': '-',
  },
  row("baseline: native tesseract CLI, Debian's model, OMP_THREAD_LIMIT=1", oneThread),
  row('baseline: native tesseract CLI, our model (best_int), OMP_THREAD_LIMIT=1', oneThreadOurModel),
  row("baseline: native tesseract CLI, Debian's model, default threads", defaultThreads),
  {
    what: "ours / native, Debian's model, one thread (target <= 2x)",
    'median wall': ratio(ours.wall, oneThread.wall),
    'p95 wall': '-',
    'median CPU': ratio(ours.cpu, oneThread.cpu),
    'word recall': '-',
  },
  {
    what: 'ours / native, same model, one thread',
    'median wall': ratio(ours.wall, oneThreadOurModel.wall),
    'p95 wall': '-',
    'median CPU': ratio(ours.cpu, oneThreadOurModel.cpu),
    'word recall': '-',
  },
]);
