import type Database from 'better-sqlite3';
import type { SqlCondition } from './search-filter.js';
import { floatView, SHARDS, tablesOf, type EmbeddingIndex } from './vector-tables.js';

/** A chunk found by meaning, with its cosine distance to the query (0 is the same direction). */
export interface Neighbour {
  id: number;
  distance: number;
}

/**
 * A filter leaving at least this share of the passages takes the binary index's shortlist,
 * deepened by 1/share, and keeps those in the filter; a narrower one is searched exactly among
 * its passages' vectors. sqlite-vec's selection costs grow with k² per partition, so deep
 * shortlists are dear, while an exact search costs in proportion to the filter. Measured over
 * 100k x 384 (bench/vector-search.bench.ts, CPU medians for top 10): at 10% of the library both
 * cost ~45 ms but the shortlist finds only 0.92 of the true top 10; at 25% the shortlist costs
 * 24 ms (recall 1.0) against 160-210 ms exactly; at 50%, 17 ms against 390 ms.
 */
const SHORTLIST_FROM_SHARE = 0.2;

/**
 * Shortlist size per shard for an answer of k: sign bits keep about 95% of the order of the
 * exact cosine, so the exact rescoring of a shortlist of 128 finds the true top 10 in 99.5% of
 * cases over 100k clustered vectors, and 256 the top 50 in 99.9% (bench/vector-search.bench.ts).
 */
export const shortlistPerShard = (k: number) => Math.max(16, Math.ceil((5 * k) / SHARDS));

/**
 * Nearest neighbours by cosine over one model's vectors: a shortlist by hamming distance over
 * the sign bits, shard by shard (one statement: `shard IN (...)` would silently search only one
 * partition in sqlite-vec 0.1.9), then rescored exactly with the float vectors. Queries and
 * stored vectors are unit length, so cosine similarity is their dot product.
 */
export class VectorKnn {
  private readonly statements = new Map<
    string,
    { shortlist: Database.Statement; floats: Database.Statement }
  >();

  constructor(
    private readonly sqlite: Database.Database,
    /** Overrides SHORTLIST_FROM_SHARE (tests exercise both filtering strategies with it). */
    private readonly shortlistFromShare = SHORTLIST_FROM_SHARE,
  ) {}

  /** The k passages nearest the query, within the filter (conditions on search_sources `s`). */
  search(index: EmbeddingIndex, query: Float32Array, k: number, filter: SqlCondition): Neighbour[] {
    if (!filter.sql) return this.nearest(index, query, k);
    // CROSS JOIN: from the filtered sources to their passages by index, never a full scan.
    const inFilter = `search_sources s CROSS JOIN chunks c ON c.source_id = s.id`;
    const count = this.sqlite
      .prepare(`SELECT count(*) FROM ${inFilter} WHERE ${filter.sql}`)
      .pluck()
      .get(...filter.params) as number;
    if (count === 0) return [];
    const share = count / (this.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get() as number);
    if (share >= this.shortlistFromShare) {
      const nearest = this.rescoredShortlist(index, query, Math.ceil(shortlistPerShard(k) / share));
      const kept = this.sqlite
        .prepare(
          `SELECT j.value ->> '$.id' AS id, j.value ->> '$.distance' AS distance
           FROM json_each(?) j CROSS JOIN chunks c ON c.id = j.value ->> '$.id' CROSS JOIN search_sources s ON s.id = c.source_id
           WHERE ${filter.sql} ORDER BY j.key LIMIT ?`,
        )
        .all(JSON.stringify(nearest), ...filter.params, k) as Neighbour[];
      if (kept.length >= Math.min(k, count)) return kept;
    }
    const rows = this.sqlite
      .prepare(
        `SELECT v.id, v.embedding FROM ${inFilter} CROSS JOIN "${tablesOf(index).floats}" v ON v.id = c.id
         WHERE ${filter.sql}`,
      )
      .raw()
      .all(...filter.params) as [number, Buffer][];
    return nearestOf(rows, query, k);
  }

  /** The k nearest over the whole library. */
  nearest(index: EmbeddingIndex, query: Float32Array, k: number): Neighbour[] {
    return this.rescoredShortlist(index, query, shortlistPerShard(k)).slice(0, k);
  }

  /** The binary index's best `perShard` of every shard, ordered by their exact distance. */
  private rescoredShortlist(index: EmbeddingIndex, query: Float32Array, perShard: number): Neighbour[] {
    const { shortlist, floats } = this.prepared(index);
    const bits = query.length % 8 === 0 ? query : padTo8(query);
    const ids = shortlist.pluck().all({ query: bits, k: perShard }) as number[];
    const rows = floats.raw().all(JSON.stringify(ids)) as [number, Buffer][];
    return nearestOf(rows, query, rows.length);
  }

  private prepared(index: EmbeddingIndex) {
    const { floats, bits } = tablesOf(index);
    let statements = this.statements.get(index.tableName);
    if (!statements) {
      statements = {
        shortlist: this.sqlite.prepare(
          Array.from(
            { length: SHARDS },
            (_, shard) =>
              `SELECT rowid FROM "${bits}" WHERE embedding MATCH vec_quantize_binary(@query) AND k = @k AND shard = ${shard}`,
          ).join(' UNION ALL '),
        ),
        floats: this.sqlite.prepare(
          `SELECT id, embedding FROM "${floats}" WHERE id IN (SELECT value FROM json_each(?))`,
        ),
      };
      this.statements.set(index.tableName, statements);
    }
    return statements;
  }
}

/** The k rows (id, float32 BLOB) nearest the query by cosine distance, nearest first. */
function nearestOf(rows: [number, Buffer][], query: Float32Array, k: number): Neighbour[] {
  const best: Neighbour[] = [];
  for (const [id, blob] of rows) {
    const distance = 1 - dot(floatView(blob), query);
    if (best.length === k && distance >= best[k - 1]!.distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.distance > distance) at--;
    best.splice(at, 0, { id, distance });
    if (best.length > k) best.pop();
  }
  return best;
}

function dot(a: Float32Array, b: Float32Array): number {
  // Four accumulators: about twice as fast as one in V8.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}

function padTo8(vector: Float32Array): Float32Array {
  const out = new Float32Array(Math.ceil(vector.length / 8) * 8);
  out.set(vector);
  return out;
}
