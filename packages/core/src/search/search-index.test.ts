import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestEmbeddingModel } from '../../../../scripts/fixtures/make-embedding-model.js';
import { LlamaCppEmbedder } from '../ai/embedder/llama-cpp-embedder.js';
import { loadLlamaRuntime } from '../ai/llama/llama-runtime.js';
import { approximateTokenCount } from '../ai/tokenizer/token-counter.js';
import type { ExtractedPage } from '../ingest/extracted-document.js';
import { tempDir, waitFor } from '../test-support/temp-core.js';
import { chunkPages } from './chunker.js';
import { embedJob, rebuildPayload } from './embed-job.js';
import { SearchIndex } from './search-index.js';
import { tablesOf } from './vector-tables.js';
import { VectorKnn } from './vector-knn.js';
import type { SourceRef } from '../contract/index.js';
import { materialSource, openLibraryDatabase } from './test-support/library.js';

let models: ReturnType<typeof tempDir>;
let embedder: LlamaCppEmbedder;
let otherEmbedder: LlamaCppEmbedder;

beforeAll(async () => {
  models = tempDir('lm-search-models-');
  embedder = await LlamaCppEmbedder.load({
    modelPath: makeTestEmbeddingModel(models.path, 7).path,
    modelId: 'test-embedding-a',
    threads: 1,
    runtime: await loadLlamaRuntime('off'),
  });
  otherEmbedder = await LlamaCppEmbedder.load({
    modelPath: makeTestEmbeddingModel(models.path, 8).path,
    modelId: 'test-embedding-b',
    threads: 1,
    runtime: await loadLlamaRuntime('off'),
  });
});
afterAll(async () => {
  await embedder?.close();
  await otherEmbedder?.close();
  models.remove();
});

let storage: ReturnType<typeof openLibraryDatabase>;
let index: SearchIndex;
beforeEach(() => {
  storage = openLibraryDatabase();
  index = new SearchIndex(storage.sqlite);
});
afterEach(() => storage.remove());

const pages = (...texts: string[]): ExtractedPage[] =>
  texts.map((text, i) => ({ number: i + 1, text, blocks: [], words: [], source: 'text-layer' }));

function addMaterial(title: string, ...texts: string[]): SourceRef {
  const { ref, details } = materialSource({ title });
  index.replaceSource(ref, details, chunkPages(pages(...texts), { countTokens: approximateTokenCount }));
  return ref;
}

const count = (sql: string, ...params: unknown[]) =>
  storage.sqlite
    .prepare(sql)
    .pluck()
    .get(...params) as number;
/** The source's chunks: `what` of them in index order. */
const ofSource = (what: string, ref: SourceRef) =>
  storage.sqlite
    .prepare(
      `SELECT ${what} FROM chunks WHERE source_id = (SELECT id FROM search_sources WHERE kind = ? AND ref_id = ?) ORDER BY id`,
    )
    .pluck()
    .all(ref.kind, ref.id);
const chunkCount = (ref: SourceRef) => ofSource('id', ref).length;
const ftsCount = (word: string) => count('SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?', word);
/** Vectors of a model, counted in both of its tables (they must agree). */
function vectorCount(modelId: string): number {
  const { floats, bits } = tablesOf(index.vectors.find(modelId)!);
  const stored = count(`SELECT count(*) FROM "${floats}"`);
  expect(count(`SELECT count(*) FROM "${bits}"`)).toBe(stored);
  return stored;
}

const run = (signal = new AbortController().signal) => ({
  jobId: 'job',
  attempt: 1,
  signal,
  progress: () => {},
});

describe('SearchIndex chunks', () => {
  it('replaces a source’s chunks, keyword entries following, without touching other materials', () => {
    const trace = addMaterial('Tracing', 'Trace trees record hot loops.', 'Nested trees cover outer loops.');
    const cells = addMaterial('Cells', 'Mitochondria are the powerhouse of the cell.');
    expect(chunkCount(trace)).toBe(1);
    expect(ftsCount('mitochondria')).toBe(1);

    index.replaceSource(
      trace,
      materialSource({ title: 'Tracing' }).details,
      chunkPages(pages('Blacklisting gives up on failing traces.'), { countTokens: approximateTokenCount }),
    );
    expect(ftsCount('nested')).toBe(0);
    expect(ftsCount('blacklisting')).toBe(1);
    expect(chunkCount(cells)).toBe(1);
    expect(ofSource('ordinal', trace)).toEqual([0]);
  });

  it('removes a source’s chunks, keyword entries, vectors of every model and details', async () => {
    const trace = addMaterial('Tracing', 'Trace trees record hot loops.');
    const cells = addMaterial('Cells', 'Mitochondria are the powerhouse of the cell.');
    await index.embedPending(embedder);
    await index.embedPending(otherEmbedder);
    expect(vectorCount('test-embedding-a')).toBe(2);

    index.removeSource(trace);
    expect(chunkCount(trace)).toBe(0);
    expect(ftsCount('trace')).toBe(0);
    expect(vectorCount('test-embedding-a')).toBe(1);
    expect(vectorCount('test-embedding-b')).toBe(1);
    expect(ftsCount('mitochondria')).toBe(1);
    expect(chunkCount(cells)).toBe(1);
    expect(count('SELECT count(*) FROM search_sources WHERE ref_id = ?', trace.id)).toBe(0);
  });
});

describe('SearchIndex embeddings', () => {
  it('creates the model’s float and binary tables on first use and embeds every chunk once', async () => {
    addMaterial('Tracing', 'Trace trees record hot loops.', 'Nested trees cover outer loops.');
    const progress: number[] = [];
    const result = await index.embedPending(embedder, {
      onProgress: ({ embedded }) => progress.push(embedded),
    });
    expect(result).toEqual({ modelId: 'test-embedding-a', embedded: 1, pending: 0 });
    const [row] = index.vectors.list();
    expect(row).toMatchObject({ modelId: 'test-embedding-a', dimensions: 64, status: 'ready' });
    const ddl = (name: string) =>
      count('SELECT sql FROM sqlite_master WHERE name = ?', name) as unknown as string;
    expect(ddl(tablesOf(row!).bits)).toMatch(/vec0\(shard integer partition key, embedding bit\[64\]\)/);
    expect(ddl(tablesOf(row!).floats)).toMatch(/embedding BLOB NOT NULL/);
    expect(vectorCount(embedder.modelId)).toBe(1);
    expect(progress.at(-1)).toBe(1);
    expect((await index.embedPending(embedder)).embedded).toBe(0);
  });

  it('stores vectors whose nearest neighbour to a chunk’s own text is that chunk', async () => {
    const texts = [
      'Trace trees record hot loops.',
      'Mitochondria are the powerhouse of the cell.',
      'The French Revolution began in 1789.',
    ];
    const ids = texts.map((text, i) => ({ id: addMaterial(`M${i}`, text), text }));
    await index.embedPending(embedder, { batchSize: 2 });
    const vectors = index.vectors.find(embedder.modelId)!;
    const knn = new VectorKnn(storage.sqlite);
    for (const { id, text } of ids) {
      const [query] = await embedder.embed([text]);
      const [nearest] = knn.nearest(vectors, query!, 2);
      const [chunkId] = ofSource('id', id);
      expect(nearest!.id).toBe(chunkId);
      expect(nearest!.distance).toBeCloseTo(0, 4);
    }
  });

  it('can be cancelled and continues where it stopped', async () => {
    for (let i = 0; i < 6; i++) addMaterial(`M${i}`, `Passage number ${i} about loops.`);
    const controller = new AbortController();
    const first = index.embedPending(embedder, {
      batchSize: 2,
      signal: controller.signal,
      onProgress: ({ embedded }) => embedded >= 2 && controller.abort(),
    });
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(index.pendingCount(embedder.modelId)).toBe(4);
    expect(index.vectors.find(embedder.modelId)!.status).toBe('building');
    expect(await index.embedPending(embedder)).toMatchObject({ embedded: 4, pending: 0 });
    expect(index.vectors.find(embedder.modelId)!.status).toBe('ready');
  });

  it('writes no vector for a chunk removed while it was being embedded', async () => {
    const doomed = addMaterial('Doomed', 'A passage removed mid-way.');
    addMaterial('Kept', 'A passage that stays.');
    const slowEmbedder = {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      countTokens: (text: string) => embedder.countTokens(text),
      close: async () => {},
      embedQuery: (query: string) => embedder.embedQuery(query),
      embed: async (texts: string[]) => {
        const vectors = await embedder.embed(texts);
        index.removeSource(doomed); // the student deletes it while the batch is embedded
        return vectors;
      },
    };
    expect(await index.embedPending(slowEmbedder)).toMatchObject({ embedded: 1, pending: 0 });
    expect(vectorCount(embedder.modelId)).toBe(1);
  });
});

describe('the search.embed job', () => {
  it('embeds pending chunks, and does nothing without an embedding model', async () => {
    addMaterial('Tracing', 'Trace trees record hot loops.');
    expect(await embedJob(index, async () => null).run({}, run())).toMatchObject({ embedded: 0 });
    expect(index.vectors.list()).toEqual([]);
    expect(await embedJob(index, async () => embedder).run({}, run())).toMatchObject({ embedded: 1 });
  });

  it('replaces the old model’s table when the selected model changes', async () => {
    addMaterial('Tracing', 'Trace trees record hot loops.', 'x '.repeat(300));
    await embedJob(index, async () => embedder).run({}, run());
    const oldTables = Object.values(tablesOf(index.vectors.find(embedder.modelId)!));

    const result = await embedJob(index, async () => otherEmbedder).run({}, run());
    expect(result).toMatchObject({ modelId: 'test-embedding-b', dropped: ['test-embedding-a'], pending: 0 });
    expect(index.vectors.list().map((row) => row.modelId)).toEqual(['test-embedding-b']);
    for (const table of oldTables)
      expect(count('SELECT count(*) FROM sqlite_master WHERE name = ?', table)).toBe(0);
    expect(vectorCount('test-embedding-b')).toBe(count('SELECT count(*) FROM chunks'));
  });

  it('rebuilds the same model’s vectors once when asked, and does not start over when resumed', async () => {
    addMaterial('Tracing', 'Trace trees record hot loops.');
    await index.embedPending(embedder);
    const before = index.vectors.find(embedder.modelId)!.createdAt;
    // A rebuild is asked for later than the vectors were made (the clock has moved on).
    const payload = await waitFor(rebuildPayload, ({ rebuildBefore }) => rebuildBefore! > before);
    expect(await embedJob(index, async () => embedder).run(payload, run())).toMatchObject({ embedded: 1 });
    const rebuilt = index.vectors.find(embedder.modelId)!.createdAt;
    expect(rebuilt > before).toBe(true);
    expect(await embedJob(index, async () => embedder).run(payload, run())).toMatchObject({ embedded: 0 });
  });

  it('re-embeds everything with reembedAll', async () => {
    addMaterial('Tracing', 'Trace trees record hot loops.');
    await index.embedPending(otherEmbedder);
    expect(await index.reembedAll(embedder)).toMatchObject({ embedded: 1, pending: 0 });
    expect(index.vectors.list().map((row) => row.modelId)).toEqual(['test-embedding-a']);
  });
});

describe('vectors stored before the binary index', () => {
  /** The layout an earlier version wrote: one float vec0 table per model. */
  async function legacyIndex(): Promise<string> {
    for (let i = 0; i < 5; i++) addMaterial(`M${i}`, `Passage ${i} about loops and traces.`);
    const vectors = await embedder.embed(
      storage.sqlite.prepare('SELECT text FROM chunks ORDER BY id').pluck().all() as string[],
    );
    const table = 'chunk_vec_test_embedding_a_3b82974b';
    storage.sqlite.exec(
      `CREATE VIRTUAL TABLE "${table}" USING vec0(embedding float[64] distance_metric=cosine)`,
    );
    const ids = storage.sqlite.prepare('SELECT id FROM chunks ORDER BY id').pluck().all() as number[];
    const insert = storage.sqlite.prepare(`INSERT INTO "${table}" (rowid, embedding) VALUES (?, ?)`);
    ids.forEach((id, i) => insert.run(BigInt(id), vectors[i]!));
    storage.sqlite
      .prepare(
        "INSERT INTO embedding_indexes (model_id, dimensions, table_name, status, created_at) VALUES (?, 64, ?, 'ready', ?)",
      )
      .run(embedder.modelId, table, new Date().toISOString());
    return table;
  }

  it('are copied into the new tables by the embed job, with progress, without embedding again', async () => {
    const legacyTable = await legacyIndex();
    expect(index.usableIndex(embedder.modelId)).toBeUndefined(); // keyword search meanwhile
    const messages: string[] = [];
    const result = await embedJob(index, async () => embedder).run(
      {},
      {
        ...run(),
        progress: (_fraction: number | null, message?: string | null) => void messages.push(message ?? ''),
      },
    );
    expect(result).toMatchObject({ embedded: 0, pending: 0, upgraded: 5 });
    expect(messages).toContain('Upgraded search by meaning for 5 of 5 passages');
    expect(count('SELECT count(*) FROM sqlite_master WHERE name = ?', legacyTable)).toBe(0);
    expect(vectorCount(embedder.modelId)).toBe(5);
    const usable = index.usableIndex(embedder.modelId)!;
    const [query] = await embedder.embed(['Passage 3 about loops and traces.']);
    const [nearest] = new VectorKnn(storage.sqlite).nearest(usable, query!, 1);
    expect(count('SELECT text FROM chunks WHERE id = ?', nearest!.id)).toBe(
      'Passage 3 about loops and traces.',
    );
  });
});
