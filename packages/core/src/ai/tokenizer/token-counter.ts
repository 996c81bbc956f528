/**
 * Tokens `text` takes in some model's vocabulary (without special tokens). Synchronous: chunks
 * are cut inside the import's write transaction.
 */
export type TokenCounter = (text: string) => number;

/**
 * A deliberately pessimistic estimate of BERT-style WordPiece tokens (bge, MiniLM), used only
 * when no real vocabulary can be loaded. Calibrated on tracemonkey.pdf's 128-token chunks
 * against ggml-vocab-bert-bge.gguf: it overestimates by about 47% on average and undercounts
 * 3 chunks in 200 by at most 2%, so chunks sized with it still fit a real model's context,
 * at the price of smaller chunks.
 */
export function approximateTokenCount(text: string): number {
  let count = 0;
  for (const match of text.matchAll(/[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu)) {
    const piece = match[0];
    if (/^\p{L}/u.test(piece)) {
      // Short words are one token; longer ones may split into pieces of about three letters.
      count += piece.length <= 4 ? 1 : Math.ceil(piece.length / 3);
    } else if (/^\p{N}/u.test(piece)) {
      count += Math.ceil(piece.length / 2);
    } else {
      count += 1; // punctuation and symbols are tokens of their own
    }
  }
  return count;
}
