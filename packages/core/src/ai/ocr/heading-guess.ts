/** Text this much larger than the page's usual size reads as a heading, if it is short. */
const HEADING_RATIO = 1.2;
const HEADING_MAX_CHARS = 160;

/**
 * A heading level guessed from type size relative to the page's median (1 for title-sized text),
 * or null for body text. Long runs of large text are body text set large, not headings.
 */
export function guessHeadingLevel(size: number, medianSize: number, text: string): number | null {
  if (!(medianSize > 0) || text.length > HEADING_MAX_CHARS || (text.match(/\p{L}/gu)?.length ?? 0) < 3)
    return null;
  const ratio = size / medianSize;
  if (ratio >= 1.6) return 1;
  if (ratio >= 1.35) return 2;
  if (ratio >= HEADING_RATIO) return 3;
  return null;
}

/** Median of `values` weighted by `weights` (e.g. font sizes weighted by characters). */
export function weightedMedian(values: number[], weights: number[]): number {
  const order = values.map((_, index) => index).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let seen = 0;
  for (const index of order) {
    seen += weights[index]!;
    if (seen >= total / 2) return values[index]!;
  }
  return 0;
}
