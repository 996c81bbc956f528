/**
 * Generation speed of the tutor's chat path (LlamaCppLlmEngine.generate: a LlamaChatSession on
 * one context sequence) against a raw node-llama-cpp completion loop (LlamaContextSequence.evaluate
 * at temperature 0) on the same generated chat model (Llama-3.2-1B's shape by default; random
 * weights, real speed), the same threads and context size, alternating rounds in one process.
 *
 * Both decode after the same prompt (the tutor's system prompt and a question, as the model's chat
 * template renders it), which each holds in its KV cache after the first round: the chat path by
 * its prefix reuse, the raw loop by erasing back to the same token. Three measures per round:
 * - streaming: tokens/s from the first generated token to the last (prompt processing excluded);
 * - request: generated tokens / the whole call, so every per-request cost of our path counts;
 * - CPU time per token of the whole process, which other work on a shared machine does not
 *   stretch (with one thread; with more, llama.cpp's workers spin while waiting for each other).
 *
 * BENCH_THREADS (default 2), BENCH_ROUNDS (default 5), BENCH_WEIGHTS (Q4_0 | Q8_0, default Q4_0),
 * BENCH_SHAPE (llama1b | smollm360m, default llama1b). BENCH_CHAT_MODEL=FILE uses an already
 * generated chat model (kept) instead of generating one into a temp folder (deleted after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getLlama, LlamaLogLevel, resolveChatWrapper, type ChatHistoryItem } from 'node-llama-cpp';
import { chatModelChoice, chatModelFile, loadAverage, reportLoad } from './chat-model.js';
import { LlamaCppLlmEngine } from '../packages/core/src/ai/llm/llama-cpp-llm-engine.js';
import { TUTOR_SYSTEM_PROMPT } from '../packages/core/src/domains/tutor/grounded-prompt.js';
import { median, printTable } from './stats.js';
import { loadLlamaRuntime } from '../packages/core/src/ai/llama/llama-runtime.js';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** The tutor's default context (domains/tutor/tutor.ts). */
const CONTEXT = 4096;
const MAX_TOKENS = 48;
const QUESTION = 'How does the tracing compiler record a hot loop, and what happens when a guard fails?';

const { shapeName: SHAPE_NAME, weights: WEIGHTS } = chatModelChoice();
const load = loadAverage;
reportLoad(THREADS, ROUNDS);

const root = mkdtempSync(join(tmpdir(), 'lm-bench-chat-'));
try {
  const modelPath = chatModelFile(root);

  const engine = await LlamaCppLlmEngine.load({
    modelPath,
    modelId: 'bench-chat',
    label: 'bench',
    threads: THREADS,
    contextSize: CONTEXT,
    runtime: await loadLlamaRuntime('off'),
  });
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const rawModel = await llama.loadModel({ modelPath, gpuLayers: 0 });
  // The engine's context options: same size, threads, one sequence, library defaults otherwise.
  const rawContext = await rawModel.createContext({
    contextSize: engine.info.contextTokens,
    threads: THREADS,
    sequences: 1,
  });
  const sequence = rawContext.getSequence();

  // Exactly the tokens the chat session evaluates: the model's chat wrapper renders the same history.
  const chatHistory: ChatHistoryItem[] = [
    { type: 'system', text: TUTOR_SYSTEM_PROMPT },
    { type: 'user', text: QUESTION },
    { type: 'model', response: [] },
  ];
  const prompt = resolveChatWrapper(rawModel)
    .generateContextState({ chatHistory })
    .contextText.tokenize(rawModel.tokenizer);

  interface Sample {
    tokens: number;
    /** From the call to the last token. */
    requestMs: number;
    /** From the first generated token to the last. */
    streamMs: number;
    /** CPU time of the whole process during the request: work done, whatever the neighbours do. */
    cpuMs: number;
  }

  const cpuSince = (start: NodeJS.CpuUsage) => {
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1000;
  };

  const ours = async (): Promise<Sample & { promptTokens: number }> => {
    const stamps: number[] = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await engine.generate({
      system: TUTOR_SYSTEM_PROMPT,
      history: [],
      prompt: QUESTION,
      maxTokens: MAX_TOKENS,
      temperature: 0,
      onText: () => stamps.push(performance.now()),
    });
    const ended = performance.now();
    const cpuMs = cpuSince(cpu);
    return {
      cpuMs,
      tokens: result.usage.outputTokens ?? 0,
      requestMs: ended - started,
      streamMs: stamps.at(-1)! - stamps[0]!,
      // The meter counts the last prompt token (whose logits give the first answer token) as output.
      promptTokens: (result.usage.promptTokens ?? 0) + 1,
    };
  };

  const raw = async (): Promise<Sample> => {
    // Hold the prompt but its last token, as the chat path does (it needs one token to decode).
    const keep = prompt.length - 1;
    const { firstDifferentIndex } = sequence.compareContextTokens(prompt.slice(0, keep));
    const held = Math.min(firstDifferentIndex, keep);
    if (sequence.nextTokenIndex > held)
      await sequence.eraseContextTokenRanges([{ start: held, end: sequence.nextTokenIndex }]);
    if (held < keep) await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(held, keep));
    const stamps: number[] = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    for await (const token of sequence.evaluate(prompt.slice(keep), { temperature: 0 })) {
      void token;
      stamps.push(performance.now());
      if (stamps.length >= MAX_TOKENS) break;
    }
    return {
      cpuMs: cpuSince(cpu),
      tokens: stamps.length,
      requestMs: stamps.at(-1)! - started,
      streamMs: stamps.at(-1)! - stamps[0]!,
    };
  };

  // First calls evaluate the whole prompt (not timed as generation); they also warm both paths.
  let started = performance.now();
  const first = await ours();
  console.log(
    `Prompt: ${prompt.length} tokens (chat path evaluated ${first.promptTokens}); ` +
      `first call ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  started = performance.now();
  await raw();
  console.log(`Raw loop first call ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const samples = { raw: [] as Sample[], ours: [] as Sample[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a neighbour's burst of work does not always hit the same one.
    if (round % 2 === 0) {
      samples.raw.push(await raw());
      samples.ours.push(await ours());
    } else {
      samples.ours.push(await ours());
      samples.raw.push(await raw());
    }
    const [r, o] = [samples.raw.at(-1)!, samples.ours.at(-1)!];
    console.log(
      `round ${round + 1}: streaming tok/s raw ${rate(r.tokens - 1, r.streamMs).toFixed(2)}, ` +
        `ours ${rate(o.tokens - 1, o.streamMs).toFixed(2)}; CPU ms/token raw ${(r.cpuMs / r.tokens).toFixed(1)}, ` +
        `ours ${(o.cpuMs / o.tokens).toFixed(1)}`,
    );
  }

  const streaming = (s: Sample[]) => median(s.map((x) => rate(x.tokens - 1, x.streamMs)));
  const request = (s: Sample[]) => median(s.map((x) => rate(x.tokens, x.requestMs)));
  const ratios = (measure: (x: Sample) => number) =>
    median(samples.ours.map((o, i) => measure(o) / measure(samples.raw[i]!)));
  const row = (what: string, s: Sample[], baseline: boolean) => ({
    what,
    'tokens/request': median(s.map((x) => x.tokens)),
    'streaming tok/s': streaming(s).toFixed(2),
    'request tok/s': request(s).toFixed(2),
    'streaming vs raw': baseline
      ? '1 (baseline)'
      : `${ratios((x) => rate(x.tokens - 1, x.streamMs)).toFixed(3)}x`,
    'request vs raw': baseline ? '1 (baseline)' : `${ratios((x) => rate(x.tokens, x.requestMs)).toFixed(3)}x`,
    'CPU ms/token': median(s.map((x) => x.cpuMs / x.tokens)).toFixed(1),
    'CPU vs raw': baseline ? '1 (baseline)' : `${ratios((x) => x.tokens / x.cpuMs).toFixed(3)}x`,
  });
  printTable(
    `Generation on a ${SHAPE_NAME}-shaped ${WEIGHTS} model, ${THREADS} threads, context ${engine.info.contextTokens}, ` +
      `temperature 0, up to ${MAX_TOKENS} tokens; medians of ${ROUNDS} alternating rounds (ratio: median of per-round ratios; target >= 0.95x)`,
    [
      row('raw node-llama-cpp sequence.evaluate loop (baseline)', samples.raw, true),
      row('LlamaCppLlmEngine.generate (ours: LlamaChatSession, prefix reuse)', samples.ours, false),
    ],
  );
  console.log(`Load average at the end: ${load()}`);

  await rawContext.dispose();
  await rawModel.dispose();
  await engine.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}

function rate(tokens: number, ms: number): number {
  return tokens / (ms / 1000);
}
