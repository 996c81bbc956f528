/**
 * How much model file one CPU core turns into a pleasant answer speed: llama.cpp on a laptop
 * writes about 8-12 words/s from a 1 GB (1.5B, 4-bit) model on two cores, and speed falls with
 * size and rises with cores. Two cores: the 1.5B model; four: 3.8B; eight: 7B.
 */
const MODEL_BYTES_PER_CORE = 640 * 1024 ** 2;

interface Candidate {
  id: string;
  bytes: number;
  fitsMemory: boolean;
}

/**
 * The chat model to suggest first: the largest that fits memory and is quick on these `cores`;
 * on a slow machine, the smallest that fits. None when nothing fits memory.
 */
export function suggestChatModel(models: readonly Candidate[], cores: number): string | null {
  const fitting = models.filter((model) => model.fitsMemory).sort((a, b) => a.bytes - b.bytes);
  const quick = fitting.filter((model) => model.bytes <= cores * MODEL_BYTES_PER_CORE);
  return (quick.at(-1) ?? fitting[0])?.id ?? null;
}
