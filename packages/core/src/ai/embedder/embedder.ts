/**
 * Turns text into vectors whose cosine similarity reflects meaning. Search stores one vector
 * per chunk for the selected embedder and compares a query's vector against them.
 */
export interface Embedder {
  /** Identifies the model (its catalog id): vectors of different models are never compared. */
  readonly modelId: string;
  readonly dimensions: number;
  /**
   * One L2-normalised vector per text, in order. Texts longer than the model's context are
   * truncated. Rejects with AppError('CANCELLED') once `signal` aborts.
   */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** The vector a search query is compared with: like embed, after the model's query instruction if it has one. */
  embedQuery(query: string): Promise<Float32Array>;
  /** Tokens `text` takes in this model (without special tokens). */
  countTokens(text: string): number | Promise<number>;
  close(): Promise<void>;
}

/** Scales `vector` in place to unit length (a zero vector stays zero); returns it. */
export function normalizeL2(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
  return vector;
}
