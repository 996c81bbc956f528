import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterCondition } from './search-filter.js';
import { SearchIndex } from './search-index.js';
import { clusteredVectors, exactTopK } from './test-support/clustered-vectors.js';
import { materialSource, openLibraryDatabase } from './test-support/library.js';
import { VectorKnn } from './vector-knn.js';
import type { EmbeddingIndex } from './vector-tables.js';

/** bge-small's width, so sign bits carry as much as they will in use. */
const DIMENSIONS = 384;
const MATERIALS = 80;
const PER_MATERIAL = 100;
const QUERIES = 30;

let storage: ReturnType<typeof openLibraryDatabase>;
let index: SearchIndex;
let model: EmbeddingIndex;
const vectors = new Map<number, Float32Array>();
const materialOf = new Map<number, number>();
// 100 vectors a topic, as in the benchmark (1,000 topics over 100k).
const generator = clusteredVectors({ dimensions: DIMENSIONS, topics: (MATERIALS * PER_MATERIAL) / 100 });
const queries = Array.from({ length: QUERIES }, () => generator.next());
const dayOf = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 86_400_000).toISOString();

beforeAll(() => {
  storage = openLibraryDatabase();
  index = new SearchIndex(storage.sqlite);
  model = index.vectors.ensure('generated-384', DIMENSIONS);
  for (let m = 0; m < MATERIALS; m++) {
    const { ref, details } = materialSource({ title: `M${m}`, importedAt: dayOf(m) });
    const chunkIds = index.replaceSource(
      ref,
      details,
      Array.from({ length: PER_MATERIAL }, (_, c) => ({
        text: `passage ${c}`,
        heading: null,
        tokenCount: 2,
        pageStart: 1,
        pageEnd: 1,
        spans: [],
      })),
    );
    const rows = chunkIds.map((chunkId) => ({ id: chunkId, vector: generator.next() }));
    for (const row of rows) {
      vectors.set(row.id, row.vector);
      materialOf.set(row.id, m);
    }
    index.vectors.write(model, rows);
  }
}, 120_000);
afterAll(() => storage?.remove());

/** Mean recall@k of `search` against the exact answer among the vectors `within` keeps. */
function recall(
  search: (query: Float32Array) => number[],
  k: number,
  within = (_id: number) => true,
): number {
  const kept = new Map([...vectors].filter(([id]) => within(id)));
  let found = 0;
  for (const query of queries) {
    const exact = exactTopK(kept, query, k);
    found += search(query).filter((id) => exact.includes(id)).length / exact.length;
  }
  return found / queries.length;
}

describe('VectorKnn over 8,000 generated clustered vectors', () => {
  it('finds the exact top 10 and top 50 with recall of at least 0.98 through the binary index', () => {
    const knn = new VectorKnn(storage.sqlite);
    const none = filterCondition({});
    expect(
      recall((query) => knn.search(model, query, 10, none).map((hit) => hit.id), 10),
    ).toBeGreaterThanOrEqual(0.98);
    expect(
      recall((query) => knn.search(model, query, 50, none).map((hit) => hit.id), 50),
    ).toBeGreaterThanOrEqual(0.98);
  }, 60_000);

  it('gives distances of the exact cosine, nearest first', () => {
    const knn = new VectorKnn(storage.sqlite);
    const query = queries[0]!;
    const hits = knn.nearest(model, query, 10);
    for (const hit of hits) {
      const cosine = vectors.get(hit.id)!.reduce((sum, value, d) => sum + value * query[d]!, 0);
      expect(hit.distance).toBeCloseTo(1 - cosine, 5);
    }
    expect(hits.map((hit) => hit.distance)).toEqual(
      [...hits.map((hit) => hit.distance)].sort((a, b) => a - b),
    );
  });

  it.each([
    ['a narrow filter, searched exactly', 0.05],
    ['a broad filter, from a deeper shortlist', 0.6],
  ])('keeps to %s and finds its nearest', (_what, share) => {
    const first = Math.round(MATERIALS * (1 - share));
    const filter = filterCondition({ importedFrom: dayOf(first) });
    const within = (id: number) => materialOf.get(id)! >= first;
    const knn = new VectorKnn(storage.sqlite);
    const search = (query: Float32Array) => knn.search(model, query, 10, filter).map((hit) => hit.id);
    for (const query of queries) expect(search(query).every(within)).toBe(true);
    expect(recall(search, 10, within)).toBeGreaterThanOrEqual(share < 0.5 ? 1 : 0.97);
  });

  it('finds nothing deleted and nothing outside an empty filter', () => {
    const knn = new VectorKnn(storage.sqlite);
    const [nearest] = knn.nearest(model, queries[1]!, 1);
    index.vectors.deleteVectors([nearest!.id]);
    vectors.delete(nearest!.id);
    expect(knn.nearest(model, queries[1]!, 10).map((hit) => hit.id)).not.toContain(nearest!.id);
    expect(knn.search(model, queries[1]!, 10, filterCondition({ importedFrom: '2030-01-01' }))).toEqual([]);
  });
});
