/**
 * Backups and recordings that survive a kill.
 *
 * 1. Backup and restore of a data folder holding BENCH_BACKUP_MB (default 1024) MB of files: the
 *    engine's real database plus incompressible files in the content store (what PDFs, photos
 *    and Opus recordings are), through the built engine (`createCore`: the product's job,
 *    snapshot, worker thread and zip). Ours: a backup to one self-contained `.lmbackup`, a first and a second (incremental)
 *    backup into a folder, and a restore of the archive until the engine has reopened the data.
 *    Baselines on the same folder in the same run: `tar -cf` (the archive; also followed by a
 *    `sync`, as ours flushes its archive before naming it), `sha256sum` of every file (ours hashes
 *    every byte), `cp -a` (a plain copy) and `tar -xf` (the restore). Median of BENCH_ROUNDS
 *    (default 3).
 * 2. Audio lost per kill, with Chromium's fake microphone playing fixtures/audio/jfk.wav through
 *    the real UI and the browser-mode engine (`npm run build` first): BENCH_KILLS (default 5)
 *    recordings each, killed with SIGKILL after BENCH_RECORD_SEC (default 6) seconds.
 *    Engine kill: the engine is killed, started again on the same data folder, the tab goes on
 *    (same port and token) and is stopped 3 s later; lost = wall time from the lecture's start to
 *    the stop minus the finished lecture's duration. Browser kill: the browser is killed, the
 *    engine closes the recording after its grace period; lost = wall time from the lecture's
 *    start to the kill minus the recovered lecture's duration (the recorder starts a few ms
 *    before the lecture, so this slightly understates the loss).
 * BENCH_PART=backup or kills runs one part.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import type { BackupResult, EngineEvent, Job, Lecture } from '../packages/core/src/contract/index.js';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { connectSocket } from '../packages/core/src/test-support/socket-client.js';
import { waitFor } from '../packages/core/src/test-support/temp-core.js';
import { createCore, KeyringSecretStore, silentLogger, type Core } from '@little-monster/core';
import { startEngine, type RunningEngine } from '../e2e/support/engine.js';
import { mb, median, printTable } from './stats.js';

const TOTAL_MB = Number(process.env.BENCH_BACKUP_MB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KILLS = Number(process.env.BENCH_KILLS ?? 5);
const RECORD_SEC = Number(process.env.BENCH_RECORD_SEC ?? 6);
const PART = process.env.BENCH_PART;
const FILE_MB = 8;

const root = mkdtempSync(join(tmpdir(), 'lm-bench-backup-'));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function du(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function sh(command: string, args: string[]): void {
  const { status, stderr } = spawnSync(command, args);
  if (status !== 0) throw new Error(`${command} failed: ${String(stderr)}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Backup and restore of 1 GB
// ---------------------------------------------------------------------------------------------

interface BenchCore extends Core {
  events: EngineEvent[];
  value<T>(method: string, input?: unknown): Promise<T>;
}

/** The built engine (its worker threads run as shipped), as `openTestCore` gives tests the source. */
async function openCore(dataDir: string): Promise<BenchCore> {
  const core = await createCore({
    dataDir,
    modelsDir: join(root, 'models'),
    resourcesDir: join(root, 'resources'),
    secrets: new KeyringSecretStore('Little Monster bench'),
    logger: silentLogger(),
    appVersion: 'bench',
  });
  const events: EngineEvent[] = [];
  core.subscribe((event) => events.push(event));
  return Object.assign(core, {
    events,
    async value<T>(method: string, input: unknown = {}) {
      const result = await core.dispatch(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as T;
    },
  });
}

/** The engine's database (a few classes) and TOTAL_MB of incompressible files named by their sha256. */
async function seedDataFolder(dataDir: string): Promise<void> {
  const core = await openCore(dataDir);
  for (let i = 0; i < 20; i++) await core.value('classes.create', { name: `Class ${i}` });
  await core.close();
  for (let i = 0; i < TOTAL_MB / FILE_MB; i++) {
    const bytes = randomBytes(FILE_MB << 20);
    const sha = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(dataDir, 'blobs', sha.slice(0, 2)), { recursive: true });
    writeFileSync(join(dataDir, 'blobs', sha.slice(0, 2), sha), bytes);
  }
}

async function runJob(core: BenchCore, method: string, input: unknown): Promise<Job> {
  const { jobId } = await core.value<{ jobId: string }>(method, input);
  return waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    600_000,
  );
}

async function restoreAndReopen(core: BenchCore, archive: string): Promise<void> {
  const seen = core.events.length;
  await core.value('backups.restore', { path: archive });
  await waitFor(
    () =>
      core.events
        .slice(seen)
        .find(
          (event: EngineEvent) =>
            event.name === 'backups.restored' ||
            (event.name === 'job.updated' && event.payload.job.status === 'failed'),
        ),
    (found) => found !== undefined,
    600_000,
  ).then((event) => {
    if (event?.name !== 'backups.restored') throw new Error('the restore failed');
  });
}

async function benchBackup(): Promise<void> {
  const dataDir = join(root, 'data');
  await seedDataFolder(dataDir);
  const dataBytes = du(dataDir);
  const rows: Record<string, number[]> = {};
  const add = (name: string, ms: number) => (rows[name] ??= []).push(ms);
  let sizes: Record<string, number> = {};

  for (let round = 0; round < ROUNDS; round++) {
    const out = join(root, `round-${round}`);
    mkdirSync(out);
    const core = await openCore(dataDir);
    let started = performance.now();
    const file = await runJob(core, 'backups.create', { target: join(out, 'whole.lmbackup') });
    add('ours: backup to one .lmbackup', performance.now() - started);
    started = performance.now();
    const first = await runJob(core, 'backups.create', { target: join(out, 'folder') });
    add('ours: first backup into a folder', performance.now() - started);
    started = performance.now();
    const second = await runJob(core, 'backups.create', { target: join(out, 'folder') });
    add('ours: next backup into that folder (nothing changed)', performance.now() - started);
    await core.close();
    for (const job of [file, first, second])
      if (job.status !== 'succeeded') throw new Error(job.error ?? 'backup failed');

    add(
      'baseline: tar -cf',
      timed(() => sh('tar', ['-cf', join(out, 'data.tar'), '-C', root, 'data'])),
    );
    // Ours flushes the archive to the disk before naming it, and reads every byte to hash it.
    add(
      'baseline: tar -cf, then sync',
      timed(() =>
        sh('sh', [
          '-c',
          `tar -cf '${join(out, 'synced.tar')}' -C '${root}' data && sync -f '${join(out, 'synced.tar')}'`,
        ]),
      ),
    );
    add(
      'baseline: sha256sum of every file',
      timed(() => sh('sh', ['-c', `find '${dataDir}' -type f -exec sha256sum {} + > /dev/null`])),
    );
    add(
      'baseline: cp -a',
      timed(() => sh('cp', ['-a', dataDir, join(out, 'copy')])),
    );

    const restoredDir = join(out, 'restored');
    const restorer = await openCore(restoredDir);
    started = performance.now();
    await restoreAndReopen(restorer, (file.result as BackupResult).path);
    add('ours: restore from the .lmbackup (checked, swapped, reopened)', performance.now() - started);
    await restorer.close();
    mkdirSync(join(out, 'untar'));
    add(
      'baseline: tar -xf',
      timed(() => sh('tar', ['-xf', join(out, 'data.tar'), '-C', join(out, 'untar')])),
    );

    sizes = {
      'data folder': dataBytes,
      '.lmbackup': (file.result as BackupResult).bytes,
      'folder backup, first (written)': (first.result as BackupResult).writtenBytes,
      'folder backup, next (written)': (second.result as BackupResult).writtenBytes,
      'data.tar': statSync(join(out, 'data.tar')).size,
    };
    rmSync(out, { recursive: true, force: true });
  }
  const tarMs = median(rows['baseline: tar -cf']!);
  const untarMs = median(rows['baseline: tar -xf']!);
  printTable(
    `Backup and restore, ${mb(dataBytes)} data folder, median of ${ROUNDS}`,
    Object.entries(rows).map(([what, samples]) => ({
      what,
      median: seconds(median(samples)),
      'MB/s': (dataBytes / 1024 / 1024 / (median(samples) / 1000)).toFixed(0),
      'x baseline': (
        median(samples) / (what.includes('restore') || what.includes('-xf') ? untarMs : tarMs)
      ).toFixed(2),
    })),
  );
  printTable(
    'Sizes',
    Object.entries(sizes).map(([what, bytes]) => ({
      what,
      size: mb(bytes),
      'x data': (bytes / dataBytes).toFixed(3),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Audio lost per kill
// ---------------------------------------------------------------------------------------------

const serverMain = fileURLToPath(new URL('../packages/core/dist/server/main.js', import.meta.url));
const uiIndex = fileURLToPath(new URL('../packages/ui/dist/index.html', import.meta.url));

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-audio-capture=${fixture('audio/jfk.wav')}`,
  ],
};

async function startRecording(page: Page, url: string, title: string): Promise<void> {
  await page.goto(url);
  await page.goto(`${new URL(url).origin}/#/lectures/record`);
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Recording$/ })
    .waitFor({ timeout: 60_000 });
}

async function lectureNamed(engine: RunningEngine, title: string): Promise<Lecture> {
  const socket = await connectSocket(engine.port, engine.token);
  try {
    const result = await socket.call('lectures.list', {});
    if (!result.ok) throw new Error(result.error.message);
    const found = (result.value as Lecture[]).find((lecture) => lecture.title === title);
    if (!found) throw new Error(`no lecture ${title}`);
    return found;
  } finally {
    socket.close();
  }
}

async function benchKills(): Promise<void> {
  if (!existsSync(serverMain) || !existsSync(uiIndex))
    throw new Error('Run `npm run build` first: this part drives the built UI and engine.');
  const engineLost: number[] = [];
  const browserLost: number[] = [];

  const dataDir = join(root, 'kills');
  let engine = await startEngine(dataDir);
  const browser = await chromium.launch(launchOptions);
  for (let kill = 0; kill < KILLS; kill++) {
    const page = await browser.newPage();
    const title = `Engine kill ${kill}`;
    await startRecording(page, engine.url, title);
    await new Promise((resolve) => setTimeout(resolve, RECORD_SEC * 1000));
    await engine.kill();
    engine = await startEngine(dataDir);
    await page.getByText(/Waiting for the engine/).waitFor({ state: 'hidden', timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await page.getByRole('button', { name: 'Stop and save' }).click();
    const stoppedAt = Date.now();
    await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 60_000 });
    const lecture = await lectureNamed(engine, title);
    engineLost.push(stoppedAt - Date.parse(lecture.startedAt) - lecture.durationMs);
    await page.close();
  }
  await browser.close();

  for (let kill = 0; kill < KILLS; kill++) {
    const server = await chromium.launchServer(launchOptions);
    const killed = await chromium.connect(server.wsEndpoint());
    const page = await killed.newPage();
    const title = `Browser kill ${kill}`;
    await startRecording(page, engine.url, title);
    await new Promise((resolve) => setTimeout(resolve, RECORD_SEC * 1000));
    const killedAt = Date.now();
    // The whole browser at once, as the system ends a killed program: its renderer and network processes too.
    process.kill(-server.process().pid!, 'SIGKILL');
    await killed.close().catch(() => undefined);
    const lecture = await waitFor(
      () => lectureNamed(engine, title),
      (found) => found.status !== 'recording',
      60_000,
    );
    browserLost.push(killedAt - Date.parse(lecture.startedAt) - lecture.durationMs);
  }
  await engine.stop();

  const describe = (samples: number[]) => ({
    kills: samples.length,
    median: seconds(median(samples)),
    min: seconds(Math.min(...samples)),
    max: seconds(Math.max(...samples)),
  });
  printTable(`Audio lost per kill (recordings of ~${RECORD_SEC} s before the kill)`, [
    { what: 'engine killed, restarted, recording went on', ...describe(engineLost) },
    { what: 'browser killed, engine recovered the recording', ...describe(browserLost) },
  ]);
}

try {
  if (PART !== 'kills') await benchBackup();
  if (PART !== 'backup') await benchKills();
} finally {
  rmSync(root, { recursive: true, force: true });
}
