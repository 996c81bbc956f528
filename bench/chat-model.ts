/** What the chat benchmarks share: the model shape and weights they generate, and the load they ran under. */
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LLAMA_SHAPES, makeLlamaModel, type LlamaShape } from '../scripts/fixtures/make-llama-model.js';

/** Real shapes: Llama-3.2-1B, and SmolLM2-360M for a machine too busy for the 1B. */
const SHAPES: Record<string, LlamaShape> = {
  llama1b: LLAMA_SHAPES.llama1b,
  smollm360m: {
    embeddingLength: 960,
    blockCount: 32,
    headCount: 15,
    headCountKv: 5,
    feedForwardLength: 2560,
    contextLength: 8192,
  },
};

/** BENCH_SHAPE (default llama1b) and BENCH_WEIGHTS (default Q4_0). */
export function chatModelChoice(): { shapeName: string; shape: LlamaShape; weights: 'Q4_0' | 'Q8_0' } {
  const shapeName = process.env.BENCH_SHAPE ?? 'llama1b';
  const weights = process.env.BENCH_WEIGHTS ?? 'Q4_0';
  const shape = SHAPES[shapeName];
  if (!shape || (weights !== 'Q4_0' && weights !== 'Q8_0'))
    throw new Error(`BENCH_SHAPE must be ${Object.keys(SHAPES).join(' or ')}; BENCH_WEIGHTS Q4_0 or Q8_0`);
  return { shapeName, shape, weights };
}

/** The 1, 5 and 15 minute load averages, for the record beside timings. */
export const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

/** Prints the threads and load, and why wall times swing on a busy machine. */
export function reportLoad(threads: number, rounds: number): void {
  console.log(`Threads ${threads}, ${rounds} rounds, load average ${loadAverage()} on this machine`);
  if (loadavg()[0]! > availableParallelism())
    console.log(
      'The machine is busy: llama.cpp threads wait for each other whenever one is descheduled, so ' +
        'wall times swing widely. The CPU columns measure the work itself; BENCH_THREADS=1 steadies both.',
    );
}

/** BENCH_CHAT_MODEL, or a chat model of the chosen shape generated into `dir`. */
export function chatModelFile(dir: string): string {
  const given = process.env.BENCH_CHAT_MODEL;
  if (given) {
    console.log(`Using ${given} (${(statSync(given).size / 1e6).toFixed(0)} MB)`);
    return given;
  }
  const { shapeName, shape, weights } = chatModelChoice();
  const started = performance.now();
  const path = join(dir, `${shapeName}-${weights}.gguf`);
  const model = makeLlamaModel({ path, shape, weightType: weights, chat: true });
  console.log(
    `Generated ${(model.bytes / 1e6).toFixed(0)} MB ${shapeName}-shaped ${weights} chat model ` +
      `(${model.vocabularySize} tokens) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return path;
}
