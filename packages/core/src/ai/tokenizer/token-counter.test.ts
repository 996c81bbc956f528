import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEmbeddingModel } from '../../../../../scripts/fixtures/make-embedding-model.js';
import { chunkPages } from '../../search/chunker.js';
import { VOCABULARY_CACHE } from '../../search/test-support/library.js';
import { tracemonkeyPages } from '../../search/test-support/tracemonkey.js';
import { tempDir } from '../../test-support/temp-core.js';
import { LlamaCppEmbedder } from '../embedder/llama-cpp-embedder.js';
import { DEFAULT_VOCABULARY, extractBundledVocabulary } from './bundled-vocabulary.js';
import { approximateTokenCount } from './token-counter.js';
import {
  loadVocabularyTokenCounter,
  resolveTokenCounter,
  type LoadedTokenCounter,
} from './vocabulary-token-counter.js';
import { loadLlamaRuntime } from '../llama/llama-runtime.js';

let dir: ReturnType<typeof tempDir>;
let vocabulary: string;
let bge: LoadedTokenCounter;

beforeAll(async () => {
  dir = tempDir('lm-tokenizer-');
  const extracted = extractBundledVocabulary(VOCABULARY_CACHE);
  if (!extracted)
    throw new Error('The bge vocabulary could not be extracted from node-llama-cpp (is git installed?)');
  vocabulary = extracted;
  bge = await loadVocabularyTokenCounter(vocabulary);
});
afterAll(async () => {
  await bge?.close();
  dir.remove();
});

describe('the bundled real vocabulary', () => {
  it('is extracted from node-llama-cpp once and tokenizes like bge-small (WordPiece, lower case)', () => {
    expect(existsSync(vocabulary)).toBe(true);
    expect(extractBundledVocabulary(VOCABULARY_CACHE)).toBe(vocabulary);
    expect(bge.exact).toBe(true);
    expect(bge.countTokens('Hello world')).toBe(2);
    expect(bge.countTokens('The tracing JIT compiles hot loops.')).toBe(10); // the trac ##ing ji ##t ...
  });
});

describe('resolveTokenCounter', () => {
  it('uses the selected embedder’s own tokenizer first', async () => {
    const modelPath = makeTestEmbeddingModel(dir.path).path;
    const embedder = await LlamaCppEmbedder.load({
      modelPath,
      modelId: 'test-embedding',
      threads: 1,
      runtime: await loadLlamaRuntime('off'),
    });
    try {
      const counter = await resolveTokenCounter({ embedder, cacheDir: VOCABULARY_CACHE });
      expect(counter.source).toBe('embedder test-embedding');
      const text = 'Trace trees record loops.';
      expect(counter.countTokens(text)).toBe(embedder.countTokens(text));
    } finally {
      await embedder.close();
    }
  });

  it('uses the vocabulary shipped in resources when no embedder is installed', async () => {
    const resources = join(dir.path, 'resources');
    mkdirSync(resources, { recursive: true });
    copyFileSync(vocabulary, join(resources, DEFAULT_VOCABULARY));
    const counter = await resolveTokenCounter({ vocabularyDirs: [resources] });
    expect(counter).toMatchObject({ source: join(resources, DEFAULT_VOCABULARY), exact: true });
    expect(counter.countTokens('Hello world')).toBe(2);
    await counter.close();
  });

  it('falls back to the estimate only when no vocabulary can be found or read', async () => {
    const damaged = join(dir.path, 'damaged');
    mkdirSync(damaged, { recursive: true });
    writeFileSync(join(damaged, DEFAULT_VOCABULARY), 'GGUF but nothing else');
    const counter = await resolveTokenCounter({ vocabularyDirs: [damaged, join(dir.path, 'absent')] });
    expect(counter).toMatchObject({ source: 'estimate', exact: false });
    expect(counter.countTokens('Hello world')).toBe(approximateTokenCount('Hello world'));
  });
});

describe('the estimate', () => {
  it('overestimates real bge counts on a real paper, so estimated chunks still fit', async () => {
    const chunks = chunkPages(await tracemonkeyPages(), { countTokens: bge.countTokens, maxTokens: 128 });
    let real = 0;
    let estimated = 0;
    for (const chunk of chunks) {
      real += chunk.tokenCount;
      estimated += approximateTokenCount(chunk.text);
      expect(approximateTokenCount(chunk.text)).toBeGreaterThanOrEqual(chunk.tokenCount * 0.97);
    }
    expect(estimated / real).toBeGreaterThan(1.2);
  });
});
