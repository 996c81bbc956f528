/**
 * Engine start (open, migrate, self-check, ready) on a data folder holding 10k classes, 10k
 * exam dates and 10k jobs, against opening the same SQLite file bare (the floor no engine
 * can beat). Also: the first start on an empty folder, and idle RSS.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createCore, KeyringSecretStore, silentLogger, type CoreConfig } from '@little-monster/core';
import { median, mb, ms, percentile, printTable } from './stats.js';

const ROWS = 10_000;
const RUNS = 15;

const root = mkdtempSync(join(tmpdir(), 'lm-bench-start-'));
const config = (dataDir: string): CoreConfig => ({
  dataDir,
  modelsDir: join(root, 'models'),
  resourcesDir: join(root, 'resources'),
  secrets: new KeyringSecretStore('Little Monster bench'),
  logger: silentLogger(),
  appVersion: 'bench',
});

/** Time to ready, and then to the first full class list (what the Classes page asks first). */
async function timedStart(dataDir: string): Promise<{ ready: number; list: number }> {
  const started = performance.now();
  const core = await createCore(config(dataDir));
  const ready = performance.now() - started;
  const listed = await core.dispatch('classes.list', { includeArchived: true });
  const list = performance.now() - started - ready;
  if (!listed.ok) throw new Error(listed.error.message);
  await core.close();
  return { ready, list };
}

/** RSS of the browser-mode engine process after it settles, read from /proc. */
async function idleRss(dataDir: string): Promise<number> {
  const server = fileURLToPath(new URL('../packages/core/dist/server/main.js', import.meta.url));
  const child = spawn(process.execPath, [server, '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function seed(dataDir: string): void {
  const db = new Database(join(dataDir, 'little-monster.sqlite'));
  const now = new Date().toISOString();
  const insertClass = db.prepare(
    'INSERT INTO classes (id, name, code, term, color, instructor, schedule, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertExam = db.prepare('INSERT INTO class_exams (id, class_id, title, date) VALUES (?, ?, ?, ?)');
  const insertJob = db.prepare(
    "INSERT INTO jobs (id, kind, title, status, payload, max_attempts, created_at, updated_at) VALUES (?, 'backup', 'Back up', 'succeeded', '{}', 3, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const id = randomUUID();
      const schedule = JSON.stringify([{ day: 1 + (i % 5), start: '09:00', end: '10:15' }]);
      insertClass.run(id, `Class ${i}`, `C${i}`, 'Fall 2026', '#4f7cff', 'Dr. Smith', schedule, i, now, now);
      insertExam.run(randomUUID(), id, 'Final', `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`);
      insertJob.run(randomUUID(), now, now);
    }
  })();
  db.close();
}

try {
  const emptyDir = join(root, 'first-run');
  const firstRun = (await timedStart(emptyDir)).ready;

  const dataDir = join(root, 'data');
  await (await createCore(config(dataDir))).close(); // create and migrate
  seed(dataDir);
  await timedStart(dataDir); // warm the OS file cache once, as a relaunch would find it

  const ready: number[] = [];
  const list: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const timing = await timedStart(dataDir);
    ready.push(timing.ready);
    list.push(timing.list);
    const started = performance.now();
    const db = new Database(join(dataDir, 'little-monster.sqlite'));
    db.pragma('journal_mode = WAL');
    db.prepare('SELECT count(*) FROM classes').get();
    db.close();
    bare.push(performance.now() - started);
  }

  const rss = await idleRss(dataDir);

  printTable(`Engine start with ${ROWS} classes, ${ROWS} exams, ${ROWS} jobs (${RUNS} runs)`, [
    {
      what: 'engine start: open, check, migrate, self-check, ready (ours)',
      median: ms(median(ready)),
      p95: ms(percentile(ready, 95)),
    },
    {
      what: 'bare better-sqlite3 open + count (baseline)',
      median: ms(median(bare)),
      p95: ms(percentile(bare, 95)),
    },
    {
      what: `then the first classes.list (${ROWS} classes with exams)`,
      median: ms(median(list)),
      p95: ms(percentile(list, 95)),
    },
    { what: 'first start on an empty folder (create + migrate)', median: ms(firstRun), p95: '-' },
    { what: 'browser-mode engine process, idle RSS (no model loaded)', median: mb(rss), p95: '-' },
  ]);
} finally {
  rmSync(root, { recursive: true, force: true });
}
