/**
 * Top-10 nearest neighbours over 100k x 384 float vectors: sqlite-vec's vec0 KNN (the query
 * search uses, `MATCH ? AND k = ?`) against a plain Float32Array dot-product scan in Node, in
 * the same process. Then quantised KNN (int8, binary) that shortlists candidates and rescores
 * them with exact float cosine, with recall@10 against the exact answer; and KNN under a
 * material filter: `rowid IN (candidates)` against over-fetching and filtering afterwards.
 *
 * Why binary needs shards to be fast in sqlite-vec 0.1.9: its KNN takes each chunk's best k by
 * k passes over the chunk, so a query costs one hamming scan (~2.5 ms over 100k here) plus about
 * 0.07 ms per unit of k, and one table needs a shortlist of ~100 for recall@10 >= 0.95: ~10 ms
 * before rescoring. A partition key splits the rows into S shards, each searched for k/S (one
 * UNION ALL statement): the same shortlist for 1/S of the selection work. Rescoring costs ~0.5 ms
 * when the shortlist's float vectors come from a plain rowid table in one query, ~20 ms by vec0
 * point lookups (0.1-0.2 ms each).
 *
 * Vectors are seeded and clustered (1,000 topics, each vector a topic plus noise, unit length)
 * because real embeddings cluster; uniformly random vectors are a needlessly hard case for
 * quantisation. Each query runs every variant in a shuffled order (the machine is shared), so
 * slow spells fall on all of them alike; CPU time shows the work when the machine is busy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import * as sqliteVec from '@photostructure/sqlite-vec';
import { mulberry32 } from '../scripts/fixtures/make-llama-model.js';
import { median, ms, percentile, printTable } from './stats.js';

const COUNT = 100_000;
const DIMENSIONS = 384;
const TOPICS = 1_000;
const QUERIES = 60;
/** The filter comparison is slower per query and needs fewer. */
const FILTER_QUERIES = 30;
const K = 10;

const random = mulberry32(20260301);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
  return vector;
}

const topics = Array.from({ length: TOPICS }, () =>
  normalise(Float32Array.from({ length: DIMENSIONS }, gaussian)),
);
function nearTopic(noise: number): Float32Array {
  const topic = topics[Math.floor(random() * TOPICS)]!;
  return normalise(topic.map((value) => value + (gaussian() * noise) / Math.sqrt(DIMENSIONS)));
}

/** The baseline: every vector in one Float32Array, scanned with a dot product and a top-k insert. */
function scanTopK(all: Float32Array, query: Float32Array, k: number): number[] {
  const bestIds: number[] = [];
  const bestScores: number[] = [];
  for (let row = 0; row < COUNT; row++) {
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

/** A Float32Array over a float32 BLOB, copied only when the bytes are not 4-aligned. */
function floatView(blob: Buffer): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  return new Float32Array(Uint8Array.prototype.slice.call(blob).buffer);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < a.length; d++) {
    dot += a[d]! * b[d]!;
    aa += a[d]! * a[d]!;
    bb += b[d]! * b[d]!;
  }
  return dot / Math.sqrt(aa * bb);
}

/** The shortlist sizes tried: one table, and S shards of a partitioned table (k per shard). */
const SINGLE_SHORTLISTS = [64, 100];
const SHARDED: { shards: number; perShard: number }[] = [
  { shards: 4, perShard: 32 },
  { shards: 8, perShard: 12 },
  { shards: 8, perShard: 16 },
  { shards: 8, perShard: 24 },
];
/** Hybrid search's semantic list depth, and the per-shard k (8 shards) tried for it. */
const FUSION_DEPTH = 50;
const DEEP_SHARDED = [32, 48];
const SHARD_COUNTS = [...new Set(SHARDED.map((entry) => entry.shards))];

const root = mkdtempSync(join(tmpdir(), 'lm-bench-vectors-'));
try {
  const db = new Database(join(root, 'vectors.sqlite'));
  db.pragma('journal_mode = WAL');
  sqliteVec.load(db);
  db.exec(`
    CREATE VIRTUAL TABLE vec_float USING vec0(embedding float[${DIMENSIONS}] distance_metric=cosine);
    CREATE VIRTUAL TABLE vec_int8 USING vec0(embedding int8[${DIMENSIONS}] distance_metric=cosine);
    CREATE VIRTUAL TABLE vec_bit USING vec0(embedding bit[${DIMENSIONS}]);
    CREATE TABLE float_vectors (id INTEGER PRIMARY KEY, embedding BLOB NOT NULL);
    CREATE TABLE passages (id INTEGER PRIMARY KEY, material INTEGER NOT NULL);
    CREATE INDEX passages_material ON passages (material);
  `);
  for (const shards of SHARD_COUNTS) {
    db.exec(
      `CREATE VIRTUAL TABLE vec_bit_${shards} USING vec0(shard integer partition key, embedding bit[${DIMENSIONS}])`,
    );
  }

  console.log(
    `Writing ${COUNT} vectors of ${DIMENSIONS} dimensions; load average ${load()} on ${availableParallelism()} cores...`,
  );
  const all = new Float32Array(COUNT * DIMENSIONS);
  const insertFloat = db.prepare('INSERT INTO vec_float (rowid, embedding) VALUES (?, ?)');
  const insertInt8 = db.prepare(
    "INSERT INTO vec_int8 (rowid, embedding) VALUES (?, vec_quantize_int8(?, 'unit'))",
  );
  const insertBit = db.prepare('INSERT INTO vec_bit (rowid, embedding) VALUES (?, vec_quantize_binary(?))');
  const insertSharded = SHARD_COUNTS.map((shards) => ({
    shards,
    insert: db.prepare(
      `INSERT INTO vec_bit_${shards} (rowid, shard, embedding) VALUES (?, ?, vec_quantize_binary(?))`,
    ),
  }));
  const insertBlob = db.prepare('INSERT INTO float_vectors (id, embedding) VALUES (?, ?)');
  const insertPassage = db.prepare('INSERT INTO passages (id, material) VALUES (?, ?)');
  const written = timed(() =>
    db.transaction(() => {
      for (let row = 0; row < COUNT; row++) {
        const vector = nearTopic(1.2);
        all.set(vector, row * DIMENSIONS);
        const id = BigInt(row + 1);
        insertFloat.run(id, vector);
        insertInt8.run(id, vector);
        insertBit.run(id, vector);
        for (const { shards, insert } of insertSharded) insert.run(id, BigInt(row % shards), vector);
        insertBlob.run(id, vector);
        insertPassage.run(row + 1, row % 1000); // 1,000 materials of 100 passages
      }
    })(),
  );
  console.log(`...in ${(written.ms / 1000).toFixed(1)} s (${4 + SHARD_COUNTS.length} tables)`);

  const queries = Array.from({ length: QUERIES }, () => nearTopic(1.2));

  const knn = db
    .prepare('SELECT rowid FROM vec_float WHERE embedding MATCH ? AND k = ? ORDER BY distance')
    .pluck();

  // Rescoring: the shortlist's float vectors in one query from a plain rowid table, scored in JS.
  const fetchFloats = db
    .prepare('SELECT id, embedding FROM float_vectors WHERE id IN (SELECT value FROM json_each(?))')
    .raw();
  const rescore = (ids: number[], query: Float32Array, k: number): number[] =>
    (fetchFloats.all(JSON.stringify(ids)) as [number, Buffer][])
      .map(([id, blob]) => ({ id, similarity: cosine(floatView(blob), query) }))
      .sort((x, y) => y.similarity - x.similarity)
      .slice(0, k)
      .map((entry) => entry.id);
  // What the bench did before: one distance per candidate from the float vec0 table by rowid.
  const pointDistance = db
    .prepare('SELECT vec_distance_cosine(embedding, ?) FROM vec_float WHERE rowid = ?')
    .pluck();
  const rescoreByPoint = (ids: number[], query: Float32Array, k: number): number[] =>
    ids
      .map((id) => ({ id, distance: pointDistance.get(query, BigInt(id)) as number }))
      .sort((x, y) => x.distance - y.distance)
      .slice(0, k)
      .map((entry) => entry.id);

  const int8Knn = db
    .prepare("SELECT rowid FROM vec_int8 WHERE embedding MATCH vec_quantize_int8(?, 'unit') AND k = ?")
    .pluck();
  const bitKnn = db
    .prepare('SELECT rowid FROM vec_bit WHERE embedding MATCH vec_quantize_binary(?) AND k = ?')
    .pluck();
  // One KNN per shard in one statement. Not `shard IN (...)`: sqlite-vec 0.1.9 silently
  // searches only one of the listed partitions.
  const shardedKnn = new Map(
    SHARD_COUNTS.map((shards) => [
      shards,
      db
        .prepare(
          Array.from(
            { length: shards },
            (_, shard) =>
              `SELECT rowid FROM vec_bit_${shards} WHERE embedding MATCH vec_quantize_binary(@query) AND k = @k AND shard = ${shard}`,
          ).join(' UNION ALL '),
        )
        .pluck(),
    ]),
  );

  interface Variant {
    what: string;
    /** The shortlist (or the answer, for exact variants). */
    coarse: (query: Float32Array) => number[];
    rescore?: (ids: number[], query: Float32Array) => number[];
  }
  /** Runs every variant on each query, in a new order each time, and prints the table. */
  const compare = (k: number, count: number, variants: Variant[]) => {
    const runs = variants.map(() => ({
      times: [] as number[],
      cpu: [] as number[],
      coarse: [] as number[],
      rescore: [] as number[],
      recall: 0,
    }));
    const exactTop = queries.slice(0, count).map((query) => scanTopK(all, query, k));
    for (const entry of variants) entry.coarse(queries[0]!); // warm the page cache and statements
    for (const [i, expected] of exactTop.entries()) {
      const query = queries[i]!;
      for (const at of shuffledIndexes(variants.length)) {
        const { coarse, rescore: rescoreWith } = variants[at]!;
        const run = runs[at]!;
        const shortlist = timed(() => coarse(query));
        const rescored = rescoreWith ? timed(() => rescoreWith(shortlist.value, query)) : undefined;
        run.coarse.push(shortlist.ms);
        run.rescore.push(rescored?.ms ?? 0);
        run.times.push(shortlist.ms + (rescored?.ms ?? 0));
        run.cpu.push(shortlist.cpuMs + (rescored?.cpuMs ?? 0));
        run.recall += recallAt(rescored?.value ?? shortlist.value, expected) / count;
      }
    }
    const [scanMedian, floatMedian] = [median(runs[0]!.times), median(runs[1]!.times)];
    printTable(
      `Top-${k} of ${COUNT} x ${DIMENSIONS} float vectors (${count} queries; load average ${load()})`,
      variants.map(({ what, rescore: rescoreWith }, at) => {
        const run = runs[at]!;
        return {
          what,
          median: ms(median(run.times)),
          p95: ms(percentile(run.times, 95)),
          'CPU median': ms(median(run.cpu)),
          'shortlist / rescore': rescoreWith ? `${ms(median(run.coarse))} / ${ms(median(run.rescore))}` : '-',
          [`recall@${k}`]: run.recall.toFixed(3),
          'vs scan': `${(median(run.times) / scanMedian).toFixed(2)}x`,
          'vs float KNN': `${(median(run.times) / floatMedian).toFixed(2)}x`,
        };
      }),
    );
  };
  const exactVariants = (k: number): Variant[] => [
    { what: 'Float32Array dot-product scan in Node (baseline)', coarse: (query) => scanTopK(all, query, k) },
    { what: 'vec0 float KNN, MATCH ? AND k = ? (ours)', coarse: (query) => knn.all(query, k) as number[] },
  ];
  const rescoreTo =
    (k: number) =>
    (ids: number[], query: Float32Array): number[] =>
      rescore(ids, query, k);
  const single = (k: number, size: number): Variant => ({
    what: `binary KNN of ${size} + rescore`,
    coarse: (query) => bitKnn.all(query, size) as number[],
    rescore: rescoreTo(k),
  });
  const sharded = (k: number, shards: number, perShard: number): Variant => ({
    what: `binary, ${shards} shards x ${perShard} (${shards * perShard}) + rescore`,
    coarse: (query) => shardedKnn.get(shards)!.all({ query, k: perShard }) as number[],
    rescore: rescoreTo(k),
  });

  compare(K, QUERIES, [
    ...exactVariants(K),
    {
      what: 'int8 KNN of 50 + rescore',
      coarse: (query) => int8Knn.all(query, 50) as number[],
      rescore: rescoreTo(K),
    },
    {
      what: 'binary KNN of 100 + rescore by vec0 point lookups',
      coarse: (query) => bitKnn.all(query, 100) as number[],
      rescore: (ids, query) => rescoreByPoint(ids, query, K),
    },
    ...SINGLE_SHORTLISTS.map((size) => single(K, size)),
    ...SHARDED.map(({ shards, perShard }) => sharded(K, shards, perShard)),
  ]);
  // Hybrid search asks the semantic side for its fusion depth (50), not 10: the shortlist grows.
  compare(FUSION_DEPTH, FILTER_QUERIES, [
    ...exactVariants(FUSION_DEPTH),
    single(FUSION_DEPTH, 200),
    ...DEEP_SHARDED.map((perShard) => sharded(FUSION_DEPTH, 8, perShard)),
  ]);

  // Filtered KNN: the two strategies a filter could use. Over-fetching asks for 8x the answer
  // (as a deep hybrid list would) and falls short when the filter is selective.
  const OVER_FETCH = K * 8;
  const filterFirst = db
    .prepare(
      `SELECT rowid FROM vec_float WHERE embedding MATCH ? AND k = ?
       AND rowid IN (SELECT id FROM passages WHERE material < ?) ORDER BY distance`,
    )
    .pluck();
  const overFetch = db
    .prepare(
      `SELECT p.id FROM json_each(?) j JOIN passages p ON p.id = j.value WHERE p.material < ? ORDER BY j.key LIMIT ?`,
    )
    .pluck();
  const rows: Record<string, string>[] = [];
  for (const share of [0.01, 0.1, 0.5, 0.9]) {
    const materials = Math.round(1000 * share);
    const first: number[] = [];
    const over: number[] = [];
    let overFound = 0;
    for (const query of queries.slice(0, FILTER_QUERIES)) {
      first.push(timed(() => filterFirst.all(query, K, materials)).ms);
      const fetched = timed(() => {
        const nearest = knn.all(query, OVER_FETCH) as number[];
        return overFetch.all(JSON.stringify(nearest), materials, K) as number[];
      });
      over.push(fetched.ms);
      if (fetched.value.length === K) overFound++;
    }
    rows.push({
      filter: `${(share * 100).toFixed(0)}% of passages (${Math.round(COUNT * share)})`,
      'rowid IN (candidates) (ours)': ms(median(first)),
      [`over-fetch ${OVER_FETCH} + filter`]: ms(median(over)),
      'over-fetch found all 10': `${overFound}/${FILTER_QUERIES}`,
    });
  }
  printTable('Top-10 under a filter (median)', rows);
  db.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
