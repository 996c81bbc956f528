/**
 * Embedding throughput of our path (LlamaCppEmbedder.embed, and SearchIndex.embedPending which
 * also writes the vectors) against a raw node-llama-cpp loop (`getEmbeddingFor` per text) on the
 * same generated bge-small-shaped model (384 wide, 12 layers, F16; weights are random, speed is
 * real), the same context size and threads, alternating rounds in one process.
 *
 * BENCH_THREADS sets the threads (default 1: on a shared 2-core machine more threads than free
 * cores makes llama.cpp's spinning workers wait on each other and the figures meaningless).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { makeEmbeddingModel } from '../scripts/fixtures/make-embedding-model.js';
import { LlamaCppEmbedder } from '../packages/core/src/ai/embedder/llama-cpp-embedder.js';
import { defaultMigrationsDir } from '../packages/core/src/db/migrations.js';
import { openDatabase } from '../packages/core/src/db/open-database.js';
import { silentLogger } from '../packages/core/src/logging/logger.js';
import { SearchIndex } from '../packages/core/src/search/search-index.js';
import { median, printTable } from './stats.js';

const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const CONTEXT = 512;
const PASSAGES = 16;
const ROUNDS = 5;

const SENTENCES = [
  'The tracing compiler records the hot loop of a JavaScript program and compiles it to native code.',
  'Each trace is specialised for the types it observed, so the machine code avoids generic checks.',
  'When a guard fails the program leaves the trace through a side exit and returns to the interpreter.',
  'Students review the lecture notes before the exam and answer questions about each chapter.',
  'The cell membrane controls which molecules enter the cell, and the mitochondria make its energy.',
  'A trace tree grows when side exits become hot, covering more paths through the same loop.',
];
/** About 150 words (200 tokens in the generated vocabulary): the size of a real chunk. */
const passage = (i: number) =>
  Array.from({ length: 9 }, (_, s) => SENTENCES[(i + s) % SENTENCES.length]).join(' ') + ` Passage ${i}.`;
const texts = Array.from({ length: PASSAGES }, (_, i) => passage(i));

const root = mkdtempSync(join(tmpdir(), 'lm-bench-embedding-'));
try {
  const model = makeEmbeddingModel(join(root, 'bge-small-shaped.gguf'), 'bgeSmall');
  console.log(`Generated ${(model.bytes / 1e6).toFixed(0)} MB bge-small-shaped model; threads ${THREADS}`);

  const ours = await LlamaCppEmbedder.load({
    modelPath: model.path,
    modelId: 'bge-small-shaped',
    threads: THREADS,
    contextSize: CONTEXT,
  });
  const tokens = texts.reduce((sum, text) => sum + ours.countTokens(text), 0);

  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const rawModel = await llama.loadModel({ modelPath: model.path, gpuLayers: 0 });
  const rawContext = await rawModel.createEmbeddingContext({
    contextSize: CONTEXT,
    batchSize: CONTEXT,
    threads: THREADS,
  });

  const storage = openDatabase({
    dataDir: join(root, 'data'),
    migrationsDir: defaultMigrationsDir(),
    backupsDir: join(root, 'backups'),
    logger: silentLogger(),
  });
  const index = new SearchIndex(storage.sqlite);
  const source = { kind: 'material', id: randomUUID() } as const;
  const details = {
    title: 'Bench',
    classId: null,
    materialType: 'text',
    addedAt: new Date().toISOString(),
  } as const;
  const chunks = texts.map((text) => ({
    text,
    heading: null,
    tokenCount: 0,
    pageStart: 1,
    pageEnd: 1,
    spans: [],
  }));

  const seconds = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return (performance.now() - started) / 1000;
  };
  const raw: number[] = [];
  const embedder: number[] = [];
  const pending: number[] = [];
  await ours.embed(texts.slice(0, 2)); // warm both
  await rawContext.getEmbeddingFor(texts[0]!);
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(
      await seconds(async () => {
        for (const text of texts) await rawContext.getEmbeddingFor(text);
      }),
    );
    embedder.push(await seconds(() => ours.embed(texts)));
    index.replaceSource(source, details, chunks); // fresh chunks, so every one is pending
    pending.push(await seconds(() => index.embedPending(ours)));
  }

  const row = (what: string, samples: number[]) => ({
    what,
    'passages/s': (PASSAGES / median(samples)).toFixed(1),
    'tokens/s': Math.round(tokens / median(samples)),
    'vs raw': `${(median(raw) / median(samples)).toFixed(3)}x`,
  });
  printTable(
    `Embedding ${PASSAGES} passages (${Math.round(tokens / PASSAGES)} tokens each), median of ${ROUNDS} rounds`,
    [
      row('raw node-llama-cpp getEmbeddingFor loop (baseline)', raw),
      row('LlamaCppEmbedder.embed (ours: + L2 normalise)', embedder),
      row('SearchIndex.embedPending (ours: + read chunks, write vec0)', pending),
    ],
  );

  storage.close();
  await rawContext.dispose();
  await rawModel.dispose();
  await ours.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
