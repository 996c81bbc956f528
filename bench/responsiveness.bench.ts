/**
 * Does the engine keep answering while it imports the worst a student may give it? Two imports
 * through the real path (materials.import of a file on disk, the import job, pages, chunks and
 * the keyword index): a 199 MiB plain-text file, and a zip-bomb DOCX (one 100 MB part in a file
 * of about 100 KB). While each runs, a second client calls settings.get over the browser mode's
 * WebSocket every 20 ms, and the engine's event-loop delay is recorded. Then every page is read
 * back (materials.page: the largest answer frame) and the material is deleted. Baseline in the
 * same run: the same probes with the engine idle. Target (PERFORMANCE.md): p99 event-loop delay
 * <= 100 ms, no answer over a few MB.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { createCore, KeyringSecretStore, silentLogger, type Core } from '@little-monster/core';
import { startEngineHost } from '@little-monster/core/server';
import { writeLargeText, zipBombDocx } from '../packages/core/src/ingest/test-support/hostile-files.js';
import { mb, ms, percentile, printTable } from './stats.js';

const TEXT_BYTES = 199 * 1024 * 1024;
const BOMB_BYTES = 100 * 1000 * 1000;
const PROBE_EVERY_MS = 20;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Probe {
  latencies: number[];
  stop(): Promise<void>;
}

/** settings.get every PROBE_EVERY_MS (or as soon as the last one answered, if later). */
function probeSettings(ws: WebSocket): Probe {
  const latencies: number[] = [];
  let running = true;
  let id = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const callId = ++id;
      await new Promise<void>((resolve) => {
        const onMessage = (data: Buffer) => {
          const frame = JSON.parse(String(data)) as { type: string; id?: number };
          if (frame.type === 'result' && frame.id === callId) {
            ws.off('message', onMessage);
            resolve();
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'call', id: callId, method: 'settings.get', input: {} }));
      });
      latencies.push(performance.now() - started);
      const wait = PROBE_EVERY_MS - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    latencies,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

interface Figures {
  scenario: string;
  outcome: string;
  seconds: number;
  loopP50: number;
  loopP99: number;
  loopMax: number;
  callP50: number;
  callP99: number;
  callMax: number;
  calls: number;
  peakRss: number;
  largestAnswer: number;
  deleteMs: number;
}

/** Runs `work` with the probes on, and returns what they saw. */
async function measured(ws: WebSocket, work: () => Promise<string>) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = process.memoryUsage().rss;
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  delay.enable();
  const probe = probeSettings(ws);
  const started = performance.now();
  const outcome = await work();
  const seconds = (performance.now() - started) / 1000;
  await probe.stop();
  delay.disable();
  clearInterval(rss);
  const calls = probe.latencies;
  return {
    outcome,
    seconds,
    loopP50: delay.percentile(50) / 1e6,
    loopP99: delay.percentile(99) / 1e6,
    loopMax: delay.max / 1e6,
    callP50: percentile(calls, 50),
    callP99: percentile(calls, 99),
    callMax: Math.max(...calls),
    calls: calls.length,
    peakRss,
  };
}

async function value<T>(core: Core, method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

/** Imports `path`, waits for its job to end; the outcome as a short phrase. */
async function importFile(core: Core, path: string): Promise<{ outcome: string; materialId?: string }> {
  const { items } = await value<{ items: { materialId?: string; jobId?: string; error?: string }[] }>(
    core,
    'materials.import',
    { classId: null, sources: [{ kind: 'path', path }] },
  );
  const item = items[0]!;
  if (item.error) return { outcome: `refused: ${item.error.slice(0, 60)}` };
  for (;;) {
    const job = await value<{ status: string; error: string | null }>(core, 'jobs.get', { id: item.jobId });
    if (job.status === 'succeeded') return { outcome: 'imported', materialId: item.materialId! };
    if (job.status === 'failed' || job.status === 'cancelled')
      return { outcome: `${job.status}: ${(job.error ?? '').slice(0, 60)}` };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads every page back (as the viewer would) and returns the largest answer's JSON size. */
async function largestPage(core: Core, materialId: string): Promise<number> {
  const { pageCount } = await value<{ pageCount: number }>(core, 'materials.get', { id: materialId });
  let largest = 0;
  for (let page = 1; page <= pageCount; page++) {
    const answer = await core.dispatch('materials.page', { id: materialId, page });
    largest = Math.max(largest, Buffer.byteLength(JSON.stringify(answer)));
  }
  return largest;
}

const root = mkdtempSync(join(tmpdir(), 'lm-bench-responsive-'));
try {
  const textFile = join(root, 'notes.txt');
  await writeLargeText(textFile, TEXT_BYTES);
  const bombFile = join(root, 'report.docx');
  writeFileSync(bombFile, zipBombDocx(BOMB_BYTES));

  const core = await createCore({
    dataDir: join(root, 'data'),
    modelsDir: join(root, 'models'),
    resourcesDir: join(repoRoot, 'resources'),
    secrets: new KeyringSecretStore('Little Monster bench'),
    logger: silentLogger(),
    appVersion: 'bench',
  });
  const host = await startEngineHost({ core, uiDir: join(root, 'ui'), logger: silentLogger() });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, {
    origin: `http://127.0.0.1:${host.port}`,
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

  const rows: Figures[] = [];
  const idle = await measured(ws, () => new Promise((resolve) => setTimeout(() => resolve('idle'), 5_000)));
  rows.push({ scenario: 'idle engine (baseline)', ...idle, largestAnswer: 0, deleteMs: 0 });

  for (const [scenario, path] of [
    ['199 MiB text file', textFile],
    ['zip-bomb DOCX (100 MB part)', bombFile],
  ] as const) {
    let materialId: string | undefined;
    const figures = await measured(ws, async () => {
      const imported = await importFile(core, path);
      materialId = imported.materialId;
      return imported.outcome;
    });
    let largestAnswer = 0;
    let deleteMs = 0;
    if (materialId) {
      largestAnswer = await largestPage(core, materialId);
      const started = performance.now();
      await value(core, 'materials.delete', { ids: [materialId] });
      deleteMs = performance.now() - started;
    }
    rows.push({ scenario, ...figures, largestAnswer, deleteMs });
  }

  printTable(
    'Engine responsiveness during imports (settings.get over the WebSocket every 20 ms)',
    rows.map((row) => ({
      scenario: row.scenario,
      outcome: row.outcome,
      'import s': row.seconds.toFixed(1),
      'loop delay p50': ms(row.loopP50),
      'loop delay p99': ms(row.loopP99),
      'loop delay max': ms(row.loopMax),
      'settings.get p50': ms(row.callP50),
      'settings.get p99': ms(row.callP99),
      'settings.get max': ms(row.callMax),
      calls: row.calls,
      'peak RSS': mb(row.peakRss),
      'largest page answer': mb(row.largestAnswer),
      delete: ms(row.deleteMs),
    })),
  );
  const [baseline, ...runs] = rows;
  printTable(
    'Against the idle engine',
    runs.map((row) => ({
      scenario: row.scenario,
      'loop p99 ratio': (row.loopP99 / baseline!.loopP99).toFixed(1),
      'settings.get p99 ratio': (row.callP99 / baseline!.callP99).toFixed(1),
    })),
  );
  ws.close();
  await host.close();
  await core.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
