/** One retriever's answer: ids best first. */
export interface Ranking<Source extends string> {
  source: Source;
  ids: number[];
  /** Multiplies this ranking's contribution; default 1. */
  weight?: number;
}

export interface FusedResult<Source extends string> {
  id: number;
  score: number;
  /** The rankings that returned it, in the order given. */
  sources: Source[];
}

/** The constant of Cormack et al. (2009); it damps the difference between the very top ranks. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each ranking adds weight / (k + rank) for every id it holds, so an id
 * several retrievers agree on rises, and scores on incomparable scales (bm25, cosine) never
 * need normalising. Ids appear once; ties keep the order of first appearance.
 */
export function reciprocalRankFusion<Source extends string>(
  rankings: Ranking<Source>[],
  k = RRF_K,
): FusedResult<Source>[] {
  const fused = new Map<number, FusedResult<Source>>();
  for (const { source, ids, weight = 1 } of rankings) {
    ids.forEach((id, index) => {
      const entry = fused.get(id) ?? { id, score: 0, sources: [] };
      if (entry.sources.includes(source)) return; // a ranking counts an id once
      entry.score += weight / (k + index + 1);
      entry.sources.push(source);
      fused.set(id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
