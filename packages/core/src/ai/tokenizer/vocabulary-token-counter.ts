import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LlamaModel } from 'node-llama-cpp';
import { checkModelFile } from '../../models/model-file-format.js';
import type { Embedder } from '../embedder/embedder.js';
import { loadLlamaRuntime } from '../llama/llama-runtime.js';
import { DEFAULT_VOCABULARY, extractBundledVocabulary } from './bundled-vocabulary.js';
import { approximateTokenCount, type TokenCounter } from './token-counter.js';

export interface LoadedTokenCounter {
  countTokens: TokenCounter;
  /** Where the count comes from, for logs: the embedder, a vocabulary file, or the estimate. */
  source: string;
  /** True when the count is exact for some real vocabulary. */
  exact: boolean;
  close(): Promise<void>;
}

/** A real tokenizer from a vocabulary-only GGUF (no weights are loaded). */
export async function loadVocabularyTokenCounter(vocabularyPath: string): Promise<LoadedTokenCounter> {
  await checkModelFile(vocabularyPath, 'gguf'); // node-llama-cpp can hang on a garbled header
  // A tokenizer needs no device: the CPU runtime, which never spends seconds trying a GPU build.
  const { llama } = await loadLlamaRuntime('off');
  const model: LlamaModel = await llama.loadModel({ modelPath: vocabularyPath, vocabOnly: true });
  return {
    countTokens: (text) => model.tokenize(text).length,
    source: vocabularyPath,
    exact: true,
    close: () => model.dispose(),
  };
}

export interface ResolveTokenCounterOptions {
  /** The selected embedder, when one is installed: its own tokenizer is the exact measure. */
  embedder?: Embedder | null;
  /** Folders that may hold the default vocabulary file (the app's resources). */
  vocabularyDirs?: string[];
  /** Where to extract the vocabulary from node-llama-cpp's bundle when no folder has it. */
  cacheDir?: string;
}

/**
 * The token measure for chunking, best first: the selected embedder's own tokenizer (when it
 * counts locally); the default
 * models' real vocabulary (shipped in resources, or extracted from node-llama-cpp's bundle);
 * and only when neither exists, a pessimistic estimate.
 */
export async function resolveTokenCounter(options: ResolveTokenCounterOptions): Promise<LoadedTokenCounter> {
  const { embedder } = options;
  // A local embedder counts synchronously; one that must ask a service cannot size chunks.
  if (embedder && countsLocally(embedder)) {
    return {
      countTokens: (text) => embedder.countTokens(text) as number,
      source: `embedder ${embedder.modelId}`,
      exact: true,
      close: async () => {},
    };
  }
  const shipped = (options.vocabularyDirs ?? [])
    .map((dir) => join(dir, DEFAULT_VOCABULARY))
    .find((file) => existsSync(file));
  const vocabulary = shipped ?? (options.cacheDir ? extractBundledVocabulary(options.cacheDir) : undefined);
  if (vocabulary) {
    try {
      return await loadVocabularyTokenCounter(vocabulary);
    } catch {
      // A damaged vocabulary file: fall through to the estimate rather than block importing.
    }
  }
  return { countTokens: approximateTokenCount, source: 'estimate', exact: false, close: async () => {} };
}

function countsLocally(embedder: Embedder): boolean {
  const probe = embedder.countTokens('');
  if (typeof probe === 'number') return true;
  probe.catch(() => {}); // only asked to learn its kind
  return false;
}
