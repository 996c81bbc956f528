/**
 * Top-k nearest neighbours over 100k x 384 vectors (BENCH_COUNT=1000000 for a million) through
 * the product's own path: vectors written by VectorTables.write (float rows + the sharded binary
 * vec0 index) in the app's real database, searched by VectorKnn.search exactly as HybridSearch
 * calls it, with and without filters. Baselines in the same process: a plain Float32Array
 * dot-product scan in Node (also the exact answer recall is measured against) and the float
 * vec0 KNN (`MATCH ? AND k = ?`) that search used before.
 *
 * How the index is fast: sqlite-vec 0.1.9 takes a partition's best k by k passes over each
 * chunk of it (cost grows with k², upstream #157), so one binary table asked for a shortlist of
 * 128 costs ~10 ms over 100k; 8 partitions asked for 16 each give the same shortlist for an
 * eighth of the selection work, in one UNION ALL statement (`shard IN (...)` silently searches
 * only one partition, upstream #142). The shortlist is rescored with the float vectors read from
 * a plain rowid table in one query (~0.5 ms; vec0 point lookups cost 0.1-0.2 ms each).
 *
 * Filters: a narrow one is searched exactly among its chunks' vectors; a broad one takes a
 * deeper shortlist and filters it. The filter rows below run both strategies at each share of
 * the library, which is how the switch point in vector-knn.ts was chosen.
 *
 * Vectors are seeded and clustered (1,000 topics, each vector a topic plus noise, unit length)
 * because real embeddings cluster; uniformly random vectors are a needlessly hard case for
 * quantisation. Each query runs every variant in a shuffled order (the machine is shared), so
 * slow spells fall on all of them alike; CPU time shows the work when the machine is busy.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../scripts/fixtures/make-llama-model.js';
import { defaultMigrationsDir } from '../packages/core/src/db/migrations.js';
import { openDatabase } from '../packages/core/src/db/open-database.js';
import { silentLogger } from '../packages/core/src/logging/logger.js';
import { filterCondition } from '../packages/core/src/search/search-filter.js';
import { SearchIndex } from '../packages/core/src/search/search-index.js';
import { clusteredVectors } from '../packages/core/src/search/test-support/clustered-vectors.js';
import { VectorKnn } from '../packages/core/src/search/vector-knn.js';
import { mb, median, ms, percentile, printTable } from './stats.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const DIMENSIONS = 384;
const TOPICS = 1_000;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 60);
const FILTER_QUERIES = Math.min(QUERIES, 30);
const PER_MATERIAL = 100;
const MATERIALS = COUNT / PER_MATERIAL;
const K = 10;
/** What hybrid search asks the semantic side for. */
const FUSION_DEPTH = 50;
/** The float vec0 table search used before (a baseline): skipped at a million, where it costs seconds. */
const WITH_FLOAT_VEC0 = COUNT <= 200_000;

const vectors = clusteredVectors({ dimensions: DIMENSIONS, topics: TOPICS });

/** The baseline: every vector in one Float32Array, scanned with a dot product and a top-k insert. */
function scanTopK(all: Float32Array, query: Float32Array, k: number, rows?: Int32Array): number[] {
  const bestIds: number[] = [];
  const bestScores: number[] = [];
  const count = rows ? rows.length : COUNT;
  for (let i = 0; i < count; i++) {
    const row = rows ? rows[i]! : i;
    // Four accumulators: the fastest plain-JS dot product here (about 2x a single one).
    let a = 0;
    let b = 0;
    let c = 0;
    let e = 0;
    const offset = row * DIMENSIONS;
    for (let d = 0; d < DIMENSIONS; d += 4) {
      a += all[offset + d]! * query[d]!;
      b += all[offset + d + 1]! * query[d + 1]!;
      c += all[offset + d + 2]! * query[d + 2]!;
      e += all[offset + d + 3]! * query[d + 3]!;
    }
    const dot = a + b + c + e;
    if (bestIds.length < k || dot > bestScores[k - 1]!) {
      let at = Math.min(bestIds.length, k - 1);
      while (at > 0 && bestScores[at - 1]! < dot) at--;
      bestIds.splice(at, 0, row + 1);
      bestScores.splice(at, 0, dot);
      if (bestIds.length > k) {
        bestIds.pop();
        bestScores.pop();
      }
    }
  }
  return bestIds;
}

/** Wall time, and this process's CPU time: on a busy machine the second shows the work itself. */
function timed<T>(work: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = work();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (user + system) / 1000 };
}

const recallAt = (found: number[], exact: number[]) =>
  found.filter((id) => exact.includes(id)).length / exact.length;

const shuffleRandom = mulberry32(7); // its own stream: the vectors stay the same
function shuffledIndexes(length: number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(shuffleRandom() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const rss = () => process.memoryUsage().rss;

const root = mkdtempSync(join(tmpdir(), 'lm-bench-vectors-'));
const storage = openDatabase({
  dataDir: join(root, 'data'),
  migrationsDir: defaultMigrationsDir(),
  backupsDir: join(root, 'backups'),
  logger: silentLogger(),
});
try {
  const { sqlite } = storage;
  const index = new SearchIndex(sqlite);
  console.log(
    `Writing ${COUNT} passages and vectors of ${DIMENSIONS} dimensions; load average ${load()} on ${availableParallelism()} cores...`,
  );
  // Materials imported a day apart: an import-date filter selects any share of the library.
  const day = (m: number) => new Date(Date.UTC(2020, 0, 1) + m * 86_400_000).toISOString();
  const all = new Float32Array(COUNT * DIMENSIONS);
  const model = index.vectors.ensure('bench-model', DIMENSIONS);
  const floatVec0 = 'bench_float_vec0';
  if (WITH_FLOAT_VEC0)
    sqlite.exec(
      `CREATE VIRTUAL TABLE ${floatVec0} USING vec0(embedding float[${DIMENSIONS}] distance_metric=cosine)`,
    );
  const insertFloatVec0 = WITH_FLOAT_VEC0
    ? sqlite.prepare(`INSERT INTO ${floatVec0} (rowid, embedding) VALUES (?, ?)`)
    : undefined;
  const rssBefore = rss();
  let writeMs = 0;
  for (let m = 0; m < MATERIALS; m++) {
    const id = `material-${String(m).padStart(7, '0')}`;
    const chunkIds = index.replaceSource(
      { kind: 'material', id },
      { title: id, classId: null, materialType: 'pdf', addedAt: day(m) },
      Array.from({ length: PER_MATERIAL }, (_, c) => ({
        text: `passage ${c}`,
        heading: null,
        tokenCount: 2,
        pageStart: c + 1,
        pageEnd: c + 1,
        spans: [],
      })),
    );
    const rows = chunkIds.map((chunkId) => {
      const vector = vectors.next();
      all.set(vector, (chunkId - 1) * DIMENSIONS);
      return { id: chunkId, vector };
    });
    writeMs += timed(() => index.vectors.write(model, rows)).ms;
    if (insertFloatVec0) {
      sqlite.transaction(() => rows.forEach((row) => insertFloatVec0.run(BigInt(row.id), row.vector)))();
    }
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const dbBytes = statSync(storage.file).size;
  console.log(
    `...vectors written at ${Math.round(COUNT / (writeMs / 1000))}/s by the product's write path; database ${mb(dbBytes)}, engine RSS +${mb(rss() - rssBefore)} (the baseline's Float32Array is ${mb(all.byteLength)} of it)`,
  );

  const knn = new VectorKnn(sqlite);
  const exactOnly = new VectorKnn(sqlite, 1);
  const shortlistOnly = new VectorKnn(sqlite, 0);
  const none = filterCondition({});
  const queries = Array.from({ length: QUERIES }, () => vectors.next());
  const floatKnn = WITH_FLOAT_VEC0
    ? sqlite
        .prepare(`SELECT rowid FROM ${floatVec0} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
        .pluck()
    : undefined;

  interface Variant {
    what: string;
    run: (query: Float32Array) => number[];
  }
  /** Runs every variant on each query, in a new order each time, and prints the table. */
  const compare = (
    title: string,
    count: number,
    exact: (query: Float32Array) => number[],
    variants: Variant[],
  ) => {
    const runs = variants.map(() => ({ times: [] as number[], cpu: [] as number[], recall: 0 }));
    for (const entry of variants) entry.run(queries[0]!); // warm the page cache and statements
    for (const query of queries.slice(0, count)) {
      const expected = exact(query);
      for (const at of shuffledIndexes(variants.length)) {
        const result = timed(() => variants[at]!.run(query));
        runs[at]!.times.push(result.ms);
        runs[at]!.cpu.push(result.cpuMs);
        runs[at]!.recall += recallAt(result.value, expected) / count;
      }
    }
    const baseline = median(runs[0]!.times);
    printTable(
      `${title} (${count} queries; load average ${load()})`,
      variants.map(({ what }, at) => ({
        what,
        median: ms(median(runs[at]!.times)),
        p95: ms(percentile(runs[at]!.times, 95)),
        'CPU median': ms(median(runs[at]!.cpu)),
        recall: runs[at]!.recall.toFixed(3),
        'vs scan': `${(median(runs[at]!.times) / baseline).toFixed(2)}x`,
      })),
    );
  };

  const rssBeforeQueries = rss();
  for (const k of [K, FUSION_DEPTH]) {
    compare(
      `Top-${k} of ${COUNT} x ${DIMENSIONS}, no filter`,
      k === K ? QUERIES : FILTER_QUERIES,
      (q) => scanTopK(all, q, k),
      [
        { what: 'Float32Array scan in Node (baseline)', run: (q) => scanTopK(all, q, k) },
        {
          what: 'ours: VectorKnn.search (binary shards + rescore)',
          run: (q) => knn.search(model, q, k, none).map((n) => n.id),
        },
        ...(floatKnn
          ? [{ what: 'before: vec0 float KNN', run: (q: Float32Array) => floatKnn.all(q, k) as number[] }]
          : []),
      ],
    );
  }

  // Filters by import date select the newest share of the library.
  for (const share of [0.01, 0.05, 0.1, 0.25, 0.5, 0.9]) {
    const from = Math.round(MATERIALS * (1 - share));
    const filter = filterCondition({ importedFrom: day(from) });
    const rows = Int32Array.from(
      { length: (MATERIALS - from) * PER_MATERIAL },
      (_, i) => from * PER_MATERIAL + i,
    );
    compare(
      `Top-${K} within a filter leaving ${share * 100}% of the library`,
      FILTER_QUERIES,
      (q) => scanTopK(all, q, K, rows),
      [
        { what: 'Float32Array scan of the filter in Node (baseline)', run: (q) => scanTopK(all, q, K, rows) },
        { what: 'ours: VectorKnn.search', run: (q) => knn.search(model, q, K, filter).map((n) => n.id) },
        {
          what: 'exact among the filter',
          run: (q) => exactOnly.search(model, q, K, filter).map((n) => n.id),
        },
        {
          what: 'shortlist first, exact if it holds too few',
          run: (q) => shortlistOnly.search(model, q, K, filter).map((n) => n.id),
        },
      ],
    );
  }
  console.log(`Engine RSS while searching: ${mb(rss())} (+${mb(rss() - rssBeforeQueries)} over the queries)`);
} finally {
  storage.close();
  rmSync(root, { recursive: true, force: true });
}
