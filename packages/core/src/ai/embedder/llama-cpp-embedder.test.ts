import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEmbeddingModel } from '../../../../../scripts/fixtures/make-embedding-model.js';
import { AppError } from '../../contract/index.js';
import { tempDir } from '../../test-support/temp-core.js';
import { LlamaCppEmbedder } from './llama-cpp-embedder.js';
import { loadLlamaRuntime } from '../llama/llama-runtime.js';

let dir: ReturnType<typeof tempDir>;
let modelPath: string;
let embedder: LlamaCppEmbedder;

beforeAll(async () => {
  dir = tempDir('lm-embedder-');
  modelPath = makeTestEmbeddingModel(dir.path).path;
  embedder = await LlamaCppEmbedder.load({
    modelPath,
    modelId: 'test-embedding',
    threads: 1,
    runtime: await loadLlamaRuntime('off'),
  });
});
afterAll(async () => {
  await embedder?.close();
  dir.remove();
});

const norm = (vector: Float32Array) => Math.hypot(...vector);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

async function loadError(path: string): Promise<AppError> {
  const error = await LlamaCppEmbedder.load({
    modelPath: path,
    modelId: 'broken',
    threads: 1,
    runtime: await loadLlamaRuntime('off'),
  }).catch((e) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('LlamaCppEmbedder on a generated GGUF model', () => {
  it('is generated as the same file, byte for byte, from the same seed', () => {
    const other = tempDir('lm-embedder-again-');
    try {
      const copy = makeTestEmbeddingModel(other.path, 7).path;
      expect(readFileSync(copy).equals(readFileSync(modelPath))).toBe(true);
    } finally {
      other.remove();
    }
  });

  it('returns one unit-length vector per text, in order, the same each time', async () => {
    const texts = ['Trace trees record hot loops.', 'Mitochondria make energy for the cell.'];
    const vectors = await embedder.embed(texts);
    expect(embedder.dimensions).toBe(64);
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(64);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    const [again] = await embedder.embed([texts[0]!]);
    expect(dot(again!, vectors[0]!)).toBeCloseTo(1, 5);
    expect(dot(vectors[0]!, vectors[1]!)).toBeLessThan(0.999);
  });

  it('embeds a query after the model’s query instruction, and passages without it', async () => {
    const instruction = 'Represent this sentence for searching relevant passages: ';
    const instructed = await LlamaCppEmbedder.load({
      modelPath,
      modelId: 'test-embedding',
      threads: 1,
      queryInstruction: instruction,
      runtime: await loadLlamaRuntime('off'),
    });
    try {
      const query = 'why do trace trees record hot loops';
      const [plain] = await embedder.embed([query]);
      const [withInstruction] = await embedder.embed([`${instruction}${query}`]);
      expect(dot(await embedder.embedQuery(query), plain!)).toBeCloseTo(1, 5);
      expect(dot(await instructed.embedQuery(query), withInstruction!)).toBeCloseTo(1, 5);
      expect(dot(withInstruction!, plain!)).toBeLessThan(0.999);
      const [passage] = await instructed.embed([query]);
      expect(dot(passage!, plain!)).toBeCloseTo(1, 5);
    } finally {
      await instructed.close();
    }
  });

  it('counts tokens with the model vocabulary, fewer than characters for English', () => {
    const text = 'The tracing compiler records loops in JavaScript programs.';
    const tokens = embedder.countTokens(text);
    expect(tokens).toBeGreaterThan(5);
    expect(tokens).toBeLessThan(text.length / 2);
  });

  it('truncates a text longer than its context instead of failing', async () => {
    const long = 'loop '.repeat(5000);
    expect(embedder.countTokens(long)).toBeGreaterThan(embedder.maxInputTokens);
    const [vector] = await embedder.embed([long]);
    expect(norm(vector!)).toBeCloseTo(1, 5);
  });

  it('gives an empty text a zero vector', async () => {
    const [vector] = await embedder.embed(['']);
    expect(vector).toHaveLength(64);
    expect(norm(vector!)).toBe(0);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(['a', 'b'], controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses work once closed', async () => {
    const other = await LlamaCppEmbedder.load({
      modelPath,
      modelId: 'closing',
      threads: 1,
      runtime: await loadLlamaRuntime('off'),
    });
    await other.close();
    await expect(other.embed(['text'])).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });
});

describe('LlamaCppEmbedder errors a student can meet', () => {
  it('says the model is not installed when the file is missing', async () => {
    const error = await loadError(join(dir.path, 'no-such-model.gguf'));
    expect(error.code).toBe('MODEL_NOT_INSTALLED');
    expect(error.message).toMatch(/not installed.*Settings › Models/s);
    expect(error.details).toMatchObject({ problem: 'missing' });
  });

  it('says the file is damaged when it is not a GGUF file', async () => {
    const path = join(dir.path, 'not-a-model.gguf');
    writeFileSync(path, 'this is a text file, not a model');
    const error = await loadError(path);
    expect(error.code).toBe('MODEL_NOT_INSTALLED');
    expect(error.message).toMatch(/damaged.*install it again/s);
    expect(error.details).toMatchObject({ problem: 'damaged' });
  });

  it('says the file is damaged when a download was cut short', async () => {
    const path = join(dir.path, 'truncated.gguf');
    const whole = readFileSync(modelPath);
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await loadError(path);
    expect(error.code).toBe('MODEL_NOT_INSTALLED');
    expect(error.details).toMatchObject({ problem: 'damaged' });
  });

  it('says the file is damaged, without hanging, when its header is garbage', async () => {
    const path = join(dir.path, 'garbled.gguf');
    writeFileSync(path, 'GGUF but nothing else');
    expect((await loadError(path)).details).toMatchObject({ problem: 'damaged' });
  });

  it('says the file is damaged when its header is cut short', async () => {
    const path = join(dir.path, 'header-only.gguf');
    writeFileSync(path, readFileSync(modelPath).subarray(0, 5000));
    expect((await loadError(path)).details).toMatchObject({ problem: 'damaged' });
  });
});
