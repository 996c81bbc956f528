/**
 * What the one write path costs: writing classes with their exams through the Store (each row
 * recorded in the change feed with a hybrid logical clock timestamp, in the same transaction)
 * against the same writes through drizzle straight into the same tables, without records (the
 * write path before the change feed). Both in one process, on one database, alternating runs.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { defaultMigrationsDir } from '../packages/core/src/db/migrations.js';
import { openDatabase } from '../packages/core/src/db/open-database.js';
import { classes, classExams } from '../packages/core/src/db/schema/classes.js';
import { Store } from '../packages/core/src/db/store.js';
import { silentLogger } from '../packages/core/src/logging/logger.js';
import { median, ms, printTable } from './stats.js';

/** Transactions per run: one class with two exams inserted, then renamed (4 rows written). */
const TRANSACTIONS = 2_000;
const RUNS = 7;

const root = mkdtempSync(join(tmpdir(), 'lm-bench-feed-'));
const storage = openDatabase({
  dataDir: join(root, 'data'),
  migrationsDir: defaultMigrationsDir(),
  backupsDir: join(root, 'backups'),
  logger: silentLogger(),
});
const store = new Store(storage.sqlite, storage.db);
const now = new Date().toISOString();

const newClass = (id: string, i: number) => ({
  id,
  name: `Class ${i}`,
  color: '#4f7cff',
  sortOrder: i,
  createdAt: now,
  updatedAt: now,
});
const exams = (classId: string) => [
  { id: randomUUID(), classId, title: 'Midterm', date: '2026-10-20' },
  { id: randomUUID(), classId, title: 'Final', date: '2026-12-14' },
];

function throughStore(): number {
  const started = performance.now();
  for (let i = 0; i < TRANSACTIONS; i++) {
    const id = randomUUID();
    store.transaction((tx) => {
      tx.insert(classes, newClass(id, i));
      tx.insert(classExams, exams(id));
    });
    store.transaction((tx) =>
      tx.update(classes, { name: `Renamed ${i}`, updatedAt: now }, eq(classes.id, id)),
    );
  }
  return performance.now() - started;
}

function straightIn(): number {
  const { db } = storage;
  const started = performance.now();
  for (let i = 0; i < TRANSACTIONS; i++) {
    const id = randomUUID();
    db.transaction((tx) => {
      tx.insert(classes).values(newClass(id, i)).run();
      tx.insert(classExams).values(exams(id)).run();
    });
    db.transaction((tx) =>
      tx
        .update(classes)
        .set({ name: `Renamed ${i}`, updatedAt: now })
        .where(eq(classes.id, id))
        .run(),
    );
  }
  return performance.now() - started;
}

try {
  const ours: number[] = [];
  const baseline: number[] = [];
  throughStore(); // warm both paths
  straightIn();
  for (let run = 0; run < RUNS; run++) {
    ours.push(throughStore());
    baseline.push(straightIn());
  }
  const perTransaction = (samples: number[]) => median(samples) / (TRANSACTIONS * 2);
  printTable(`${TRANSACTIONS * 2} write transactions (4 rows each pair), median of ${RUNS} runs`, [
    {
      what: 'Store (rows + change records, HLC)',
      'per transaction': ms(perTransaction(ours)),
      'vs baseline': `${(median(ours) / median(baseline)).toFixed(2)}x`,
    },
    {
      what: 'drizzle straight in (baseline, no records)',
      'per transaction': ms(perTransaction(baseline)),
      'vs baseline': '1.00x',
    },
  ]);
  console.log(`change records written: ${store.changesSince(0, 10_000_000).length}`);
} finally {
  storage.close();
  rmSync(root, { recursive: true, force: true });
}
