/** Words compared case- and accent-insensitively, without surrounding punctuation. */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u00a8]/g, '')
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/**
 * Share of the reference's words found in the reading, each counted at most as often as it
 * occurs (bag-of-words recall). Order-free, so reading a figure before or after a column does
 * not count as an error.
 */
export function wordRecall(reference: string, reading: string): number {
  const available = new Map<string, number>();
  for (const word of wordsOf(reading)) available.set(word, (available.get(word) ?? 0) + 1);
  const expected = wordsOf(reference);
  let found = 0;
  for (const word of expected) {
    const left = available.get(word) ?? 0;
    if (left > 0) {
      found++;
      available.set(word, left - 1);
    }
  }
  return expected.length ? found / expected.length : 1;
}

/** 1 - word error rate (edit distance over word sequences / reference length); order-sensitive. */
export function wordAccuracy(reference: string, reading: string): number {
  const expected = wordsOf(reference);
  const actual = wordsOf(reading);
  let previous = Array.from({ length: actual.length + 1 }, (_, index) => index);
  for (let i = 1; i <= expected.length; i++) {
    const current = [i];
    for (let j = 1; j <= actual.length; j++) {
      const substitution = previous[j - 1]! + (expected[i - 1] === actual[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return expected.length ? 1 - previous[actual.length]! / expected.length : 1;
}
