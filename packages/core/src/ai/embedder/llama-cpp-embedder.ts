import type { LlamaEmbeddingContext, LlamaModel, Token } from 'node-llama-cpp';
import { AppError } from '../../contract/index.js';
import { damagedGgufModel, ensureGgufModelFile } from '../llama/gguf-model-file.js';
import { normalizeL2, type Embedder } from './embedder.js';
import { loadModelOnDevice } from '../llama/gpu-offload.js';
import { loggedSince, logMark, type LlamaRuntime } from '../llama/llama-runtime.js';

export interface LlamaCppEmbedderOptions {
  /** A GGUF embedding model. */
  modelPath: string;
  modelId: string;
  /** Evaluation threads; set explicitly (the library default oversubscribes small machines). */
  threads: number;
  /** Tokens the model sees at once; default the model's own context, at most 512 (chunks are ~256). */
  contextSize?: number;
  /** llama.cpp on the device "Use the graphics card" allows (loadLlamaRuntime). */
  runtime: LlamaRuntime;
  /** Put before queries only (the catalog's queryInstruction, e.g. bge's). */
  queryInstruction?: string;
}

const DEFAULT_MAX_CONTEXT = 512;
/** Room for the special tokens the model adds around an input (BOS/CLS, EOS/SEP) and one spare. */
const SPECIAL_TOKEN_ROOM = 3;

/**
 * Embeddings from a local GGUF model through llama.cpp (node-llama-cpp), on the graphics card
 * when the runtime has one with room for it, else on the processor.
 */
export class LlamaCppEmbedder implements Embedder {
  private closed = false;

  private constructor(
    readonly modelId: string,
    readonly dimensions: number,
    /** Longest input in tokens; longer texts are cut to this many. */
    readonly maxInputTokens: number,
    private readonly model: LlamaModel,
    private readonly context: LlamaEmbeddingContext,
    private readonly queryInstruction: string,
  ) {}

  static async load({
    modelPath,
    modelId,
    threads,
    contextSize,
    runtime,
    queryInstruction = '',
  }: LlamaCppEmbedderOptions): Promise<LlamaCppEmbedder> {
    const ref = { modelId, modelPath, role: 'embedding model' };
    await ensureGgufModelFile(ref);

    const mark = logMark();
    let model: LlamaModel | undefined;
    try {
      ({ model } = await loadModelOnDevice(runtime, modelPath));
      const size = contextSize ?? Math.min(model.trainContextSize, DEFAULT_MAX_CONTEXT);
      const context = await model.createEmbeddingContext({ contextSize: size, batchSize: size, threads });
      if (model.embeddingVectorSize <= 0) throw new Error('the model reports no embedding size');
      return new LlamaCppEmbedder(
        modelId,
        model.embeddingVectorSize,
        size - SPECIAL_TOKEN_ROOM,
        model,
        context,
        queryInstruction,
      );
    } catch (error) {
      await model?.dispose();
      throw damagedGgufModel(ref, `${(error as Error).message}\n${loggedSince(mark)}`.trim());
    }
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      if (this.closed) throw new AppError('ENGINE_UNAVAILABLE', 'The embedding model was unloaded.');
      vectors.push(await this.embedOne(text));
    }
    return vectors;
  }

  async embedQuery(query: string): Promise<Float32Array> {
    const [vector] = await this.embed([`${this.queryInstruction}${query}`]);
    return vector!;
  }

  private async embedOne(text: string): Promise<Float32Array> {
    const tokens = this.model.tokenize(text);
    if (tokens.length === 0) return new Float32Array(this.dimensions);
    const input: Token[] =
      tokens.length > this.maxInputTokens ? tokens.slice(0, this.maxInputTokens) : tokens;
    const { vector } = await this.context.getEmbeddingFor(input);
    return normalizeL2(Float32Array.from(vector));
  }

  countTokens(text: string): number {
    return this.model.tokenize(text).length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.dispose();
    await this.model.dispose();
  }
}
