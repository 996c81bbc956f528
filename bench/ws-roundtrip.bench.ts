/**
 * Round-trip latency of a call over the browser mode's WebSocket (token, origin check, frame
 * parsing, dispatcher validation, a real settings.get) against a raw `ws` echo server on the
 * same loopback with a frame of the same size, in the same process and run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { createCore, KeyringSecretStore, silentLogger } from '@little-monster/core';
import { startEngineHost } from '@little-monster/core/server';
import { median, ms, percentile, printTable } from './stats.js';

const CALLS = 3_000;
const WARMUP = 300;

async function open(url: string, origin: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { origin });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

/** Sends `frame` and waits for the answer, one at a time, returning each round trip in ms. */
async function measure(ws: WebSocket, frame: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(frame);
    });
    samples.push(performance.now() - started);
  }
  return samples;
}

const root = mkdtempSync(join(tmpdir(), 'lm-bench-ws-'));
try {
  const core = await createCore({
    dataDir: join(root, 'data'),
    modelsDir: join(root, 'models'),
    resourcesDir: join(root, 'resources'),
    secrets: new KeyringSecretStore('Little Monster bench'),
    logger: silentLogger(),
    appVersion: 'bench',
  });
  const host = await startEngineHost({ core, uiDir: join(root, 'ui'), logger: silentLogger() });
  const engineSocket = await open(
    `ws://127.0.0.1:${host.port}/rpc?token=${host.token}`,
    `http://127.0.0.1:${host.port}`,
  );
  const call = JSON.stringify({ type: 'call', id: 1, method: 'settings.get', input: {} });

  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => echo.once('listening', resolve));
  echo.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
  const echoPort = (echo.address() as { port: number }).port;
  const echoSocket = await open(`ws://127.0.0.1:${echoPort}`, 'http://127.0.0.1');

  // Interleave rounds so both see the same machine load.
  const ours: number[] = [];
  const baseline: number[] = [];
  await measure(engineSocket, call, WARMUP);
  await measure(echoSocket, call, WARMUP);
  for (let round = 0; round < 10; round++) {
    ours.push(...(await measure(engineSocket, call, CALLS / 10)));
    baseline.push(...(await measure(echoSocket, call, CALLS / 10)));
  }
  const direct: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await core.dispatch('settings.get', {});
    direct.push(performance.now() - started);
  }

  printTable(`Round trip of one call, ${CALLS} sequential calls each`, [
    {
      path: 'engine over WebSocket: settings.get (ours)',
      p50: ms(median(ours)),
      p95: ms(percentile(ours, 95)),
    },
    {
      path: 'raw ws echo, same frame (baseline)',
      p50: ms(median(baseline)),
      p95: ms(percentile(baseline, 95)),
    },
    { path: 'dispatcher in-process, no transport', p50: ms(median(direct)), p95: ms(percentile(direct, 95)) },
  ]);
  console.log(`ratio p50 ours/baseline: ${(median(ours) / median(baseline)).toFixed(2)}x`);

  engineSocket.close();
  echoSocket.close();
  echo.close();
  await host.close();
  await core.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
