import { mulberry32 } from '../../../../../scripts/fixtures/make-llama-model.js';

/**
 * Seeded unit vectors that cluster like real embeddings: each is one of `topics` random
 * directions plus gaussian noise. Uniformly random vectors would be a needlessly hard case for
 * quantisation; these are what vector search is tested and benchmarked on.
 */
export function clusteredVectors({ dimensions, topics = 1000, seed = 20260301 }: ClusterOptions) {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: topics }, () =>
    normalise(Float32Array.from({ length: dimensions }, gaussian)),
  );
  return {
    /** A vector near a random topic; `noise` 1.2 spreads a topic about as far as its neighbours. */
    next(noise = 1.2): Float32Array {
      const centre = centres[Math.floor(random() * topics)]!;
      return normalise(centre.map((value) => value + (gaussian() * noise) / Math.sqrt(dimensions)));
    },
  };
}

export interface ClusterOptions {
  dimensions: number;
  topics?: number;
  seed?: number;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
  return vector;
}

/** The exact top k of `vectors` (id → vector) by cosine to the query: what recall is measured against. */
export function exactTopK(vectors: Map<number, Float32Array>, query: Float32Array, k: number): number[] {
  const scored: { id: number; score: number }[] = [];
  for (const [id, vector] of vectors) {
    let score = 0;
    for (let d = 0; d < vector.length; d++) score += vector[d]! * query[d]!;
    scored.push({ id, score });
  }
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((entry) => entry.id);
}
