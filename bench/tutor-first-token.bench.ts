/**
 * Time to the first token of a grounded tutor answer, against prompt processing of the same
 * tokens alone (a raw node-llama-cpp sequence.evaluate stopped at its first token), on a
 * generated chat model with a real shape (Llama-3.2-1B by default; random weights, real speed).
 *
 * The library holds tracemonkey.pdf's pages, chunked and indexed by the product's chunker and
 * SearchIndex in the app's real database, embedded by a generated bge-small-shaped model. Each
 * question goes through TutorRetriever and buildGroundedPrompt (timed apart: target <= 50 ms)
 * and then LlamaCppLlmEngine.generate, measured until the first onText (target <= 10% over
 * the raw evaluation). The cases show what the KV cache saves:
 * - cold: the first question after loading the model (nothing cached);
 * - follow-up: the next question of the same conversation, with the history as the tutor sends it
 *   (earlier questions as asked, not with their sources), and with the earlier turn exactly as it
 *   was evaluated (what the engine's prefix reuse could keep);
 * - warm: a question after the engine answered a different one (the system prompt is cached).
 * Each baseline holds the same cached prefix (untimed) and evaluates the same remaining tokens.
 *
 * BENCH_THREADS (default 2), BENCH_ROUNDS (default 3), BENCH_WEIGHTS (Q4_0 | Q8_0, default Q4_0),
 * BENCH_SHAPE (llama1b | smollm360m, default llama1b). BENCH_CHAT_MODEL=FILE uses an already
 * generated chat model (kept) instead of generating one into a temp folder (deleted after).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  getLlama,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { makeEmbeddingModel } from '../scripts/fixtures/make-embedding-model.js';
import { chatModelChoice, chatModelFile, loadAverage, reportLoad } from './chat-model.js';
import type { Embedder } from '../packages/core/src/ai/embedder/embedder.js';
import { LlamaCppEmbedder } from '../packages/core/src/ai/embedder/llama-cpp-embedder.js';
import { LlamaCppLlmEngine } from '../packages/core/src/ai/llm/llama-cpp-llm-engine.js';
import type { ChatTurn, GenerateRequest } from '../packages/core/src/ai/llm/llm-engine.js';
import { resolveTokenCounter } from '../packages/core/src/ai/tokenizer/vocabulary-token-counter.js';
import { defaultMigrationsDir } from '../packages/core/src/db/migrations.js';
import { openDatabase } from '../packages/core/src/db/open-database.js';
import { resolveCitations } from '../packages/core/src/domains/tutor/citations.js';
import {
  buildGroundedPrompt,
  DEFAULT_BUDGET,
  TUTOR_SYSTEM_PROMPT,
  type GroundedPrompt,
} from '../packages/core/src/domains/tutor/grounded-prompt.js';
import { TutorRetriever } from '../packages/core/src/domains/tutor/tutor-retriever.js';
import { silentLogger } from '../packages/core/src/logging/logger.js';
import { chunkPages } from '../packages/core/src/search/chunker.js';
import { HybridSearch } from '../packages/core/src/search/hybrid-search.js';
import { SearchIndex } from '../packages/core/src/search/search-index.js';
import { SearchSources } from '../packages/core/src/search/search-sources.js';
import { tracemonkeyPages } from '../packages/core/src/search/test-support/tracemonkey.js';
import { median, ms, printTable } from './stats.js';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The tutor's default context (domains/tutor/tutor.ts). */
const CONTEXT = 4096;
/** Length of the first answer, which the follow-up carries in its history. */
const ANSWER_TOKENS = 48;
const RETRIEVAL_REPEATS = 10;
const QUESTION = 'How does the tracing compiler handle side exits when a guard fails?';
const FOLLOW_UP = 'Why do type-unstable loops need more than one trace?';

const { shapeName: SHAPE_NAME, weights: WEIGHTS } = chatModelChoice();
const load = loadAverage;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
reportLoad(THREADS, ROUNDS);

const root = mkdtempSync(join(tmpdir(), 'lm-bench-tutor-'));
try {
  const modelPath = chatModelFile(root);

  // The library: the paper's pages, chunked as an import chunks them, embedded for hybrid search.
  const started = performance.now();
  const storage = openDatabase({
    dataDir: join(root, 'data'),
    migrationsDir: defaultMigrationsDir(),
    backupsDir: join(root, 'backups'),
    logger: silentLogger(),
  });
  const chunkTokens = await resolveTokenCounter({ cacheDir: join(root, 'cache') });
  const index = new SearchIndex(storage.sqlite);
  const chunkCount = index.replaceSource(
    { kind: 'material', id: randomUUID() },
    { title: 'tracemonkey', classId: null, materialType: 'pdf', addedAt: new Date().toISOString() },
    chunkPages(await tracemonkeyPages(), { countTokens: chunkTokens.countTokens }),
  ).length;
  const embeddingModel = makeEmbeddingModel(join(root, 'bge-small-shaped.gguf'), 'bgeSmall');
  const embedder = await LlamaCppEmbedder.load({
    modelPath: embeddingModel.path,
    modelId: 'bge-small-shaped',
    threads: THREADS,
  });
  await index.embedPending(embedder);
  console.log(
    `Library: tracemonkey.pdf, ${chunkCount} chunks (sized by ${chunkTokens.exact ? 'a real' : 'an estimated'} ` +
      `tokenizer), embedded by a bge-small-shaped model, in ${seconds(started)}`,
  );
  const retrieverWith = (current: () => Embedder | null) =>
    new TutorRetriever(
      new SearchSources({
        index,
        search: new HybridSearch({ sqlite: storage.sqlite, index, embedder: current }),
        afterCommit: (effect) => effect(),
      }),
    );
  const retrievers = { keyword: retrieverWith(() => null), hybrid: retrieverWith(() => embedder) };

  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const rawModel = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const loadEngine = () =>
    LlamaCppLlmEngine.load({
      modelPath: modelPath!,
      modelId: 'bench-chat',
      label: 'bench',
      threads: THREADS,
      contextSize: CONTEXT,
    });
  let engine = await loadEngine();

  /** What TutorService does before it calls the engine: retrieve, then build the prompt. */
  const prepare = async (question: string, history: ChatTurn[], previousQuestion?: string) => {
    const t0 = performance.now();
    const passages = await retrievers.hybrid.retrieve({
      question,
      classId: 'c',
      ...(previousQuestion ? { previousQuestion } : {}),
    });
    const t1 = performance.now();
    const built = await buildGroundedPrompt({
      question,
      passages,
      history,
      budget: { ...DEFAULT_BUDGET, contextTokens: engine.info.contextTokens },
      countTokens: (text) => engine.countTokens(text),
    });
    return { built, retrieveMs: t1 - t0, buildMs: performance.now() - t1 };
  };

  // 1. Retrieval and prompt building alone, both retrieval modes, repeated.
  const prepRows: Record<string, string | number>[] = [];
  for (const mode of ['keyword', 'hybrid'] as const) {
    for (const [question, previous] of [
      [QUESTION, undefined],
      [FOLLOW_UP, QUESTION],
    ] as const) {
      const retrieve: number[] = [];
      const build: number[] = [];
      const embed: number[] = [];
      let built: GroundedPrompt | undefined;
      for (let i = 0; i < RETRIEVAL_REPEATS; i++) {
        const t0 = performance.now();
        const passages = await retrievers[mode].retrieve({
          question,
          classId: 'c',
          ...(previous ? { previousQuestion: previous } : {}),
        });
        const t1 = performance.now();
        built = await buildGroundedPrompt({
          question,
          passages,
          history: [],
          budget: { ...DEFAULT_BUDGET, contextTokens: engine.info.contextTokens },
          countTokens: (text) => engine.countTokens(text),
        });
        retrieve.push(t1 - t0);
        build.push(performance.now() - t1);
        if (mode === 'hybrid') {
          // The part of hybrid retrieval that is the query's embedding (HybridSearch embeds it first).
          const t2 = performance.now();
          await embedder.embed([question]);
          embed.push(performance.now() - t2);
        }
      }
      const total = retrieve.map((value, i) => value + build[i]!);
      prepRows.push({
        question: question === QUESTION ? 'first' : 'follow-up',
        retrieval: mode === 'hybrid' ? 'hybrid (keyword + bge-small-shaped)' : 'keyword only',
        sources: built!.sources.length,
        'prompt tokens': built!.tokens,
        'retrieve median': ms(median(retrieve)),
        'of which query embedding': embed.length > 0 ? ms(median(embed)) : '-',
        'build median': ms(median(build)),
        'total median': ms(median(total)),
        'total max (first call incl.)': ms(Math.max(...total)),
      });
    }
  }
  printTable(
    `Retrieval (TutorRetriever) + prompt building (buildGroundedPrompt, counting in the chat model's tokens), ` +
      `${RETRIEVAL_REPEATS} repeats each; target <= 50 ms`,
    prepRows,
  );

  /** Wall and process CPU time since `since` (CPU: work done, whatever the neighbours do). */
  interface Timing {
    wall: number;
    cpu: number;
  }
  const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
  const elapsed = (since: ReturnType<typeof clock>): Timing => {
    const { user, system } = process.cpuUsage(since.cpu);
    return { wall: performance.now() - since.wall, cpu: (user + system) / 1000 };
  };

  /** Our path: generate until the first text arrives (then stop, unless `keepGoing` tokens are wanted). */
  const ours = async (request: Omit<GenerateRequest, 'maxTokens' | 'onText' | 'signal'>, keepGoing = 0) => {
    const controller = new AbortController();
    let first: Timing | undefined;
    const since = clock();
    const result = await engine.generate({
      ...request,
      temperature: 0,
      maxTokens: keepGoing || DEFAULT_BUDGET.answerTokens,
      signal: controller.signal,
      onText: () => {
        if (first) return;
        first = elapsed(since);
        if (!keepGoing) controller.abort();
      },
    });
    if (!first) throw new Error('The model wrote no text; the first token cannot be timed.');
    // The meter counts the last prompt token (whose logits give the first answer token) as output.
    return { first, evaluated: (result.usage.promptTokens ?? 0) + 1, text: result.text };
  };

  /** The same request's tokens, exactly as the chat session renders them with the model's template. */
  const tokensOf = (model: LlamaModel, request: Pick<GenerateRequest, 'system' | 'history' | 'prompt'>) => {
    const chatHistory: ChatHistoryItem[] = [
      { type: 'system', text: request.system },
      ...request.history.map((turn): ChatHistoryItem =>
        turn.role === 'user' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] },
      ),
      { type: 'user', text: request.prompt },
      { type: 'model', response: [] },
    ];
    return resolveChatWrapper(model)
      .generateContextState({ chatHistory })
      .contextText.tokenize(model.tokenizer);
  };

  /** The baseline: hold `tokens` but the last `evaluate` (untimed), then time those to the first token. */
  const raw = async (sequence: LlamaContextSequence, tokens: Token[], evaluate: number): Promise<Timing> => {
    const cached = tokens.length - Math.max(1, evaluate);
    const { firstDifferentIndex } = sequence.compareContextTokens(tokens.slice(0, cached));
    const held = Math.min(firstDifferentIndex, cached);
    if (sequence.nextTokenIndex > held)
      await sequence.eraseContextTokenRanges([{ start: held, end: sequence.nextTokenIndex }]);
    if (held < cached) await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(held, cached));
    const since = clock();
    for await (const token of sequence.evaluate(tokens.slice(cached), { temperature: 0 })) {
      void token;
      break;
    }
    return elapsed(since);
  };

  type Case = 'cold' | 'followUpTutor' | 'followUpExact' | 'warm';
  interface CaseSamples {
    prep: number[];
    ours: Timing[];
    raw: Timing[];
    evaluated: number[];
    total: number;
  }
  const results = new Map<Case, CaseSamples>();
  /** Tokens each case evaluated last round (deterministic at temperature 0), so the raw run can go first. */
  const lastEvaluated = new Map<Case, number>();

  for (let round = 0; round < ROUNDS; round++) {
    const roundStarted = performance.now();
    if (round > 0) engine = await loadEngine(); // cold: a freshly loaded model, nothing cached
    const rawContext = await rawModel.createContext({
      contextSize: engine.info.contextTokens,
      threads: THREADS,
      sequences: 1,
    });
    const sequence = rawContext.getSequence();
    // Alternate which goes first (from the second round on), so a neighbour's burst does not
    // always hit the same one.
    const rawFirst = round % 2 === 1;
    const measure = async (
      name: Case,
      prep: { built: GroundedPrompt; retrieveMs: number; buildMs: number },
      request: Pick<GenerateRequest, 'system' | 'history' | 'prompt'>,
      keepGoing = 0,
    ) => {
      const tokens = tokensOf(rawModel, request);
      let rawTiming: Timing | undefined;
      if (rawFirst) rawTiming = await raw(sequence, tokens, lastEvaluated.get(name)!);
      const result = await ours(request, keepGoing);
      rawTiming ??= await raw(sequence, tokens, result.evaluated);
      lastEvaluated.set(name, result.evaluated);
      const entry = results.get(name) ?? { prep: [], ours: [], raw: [], evaluated: [], total: tokens.length };
      entry.prep.push(prep.retrieveMs + prep.buildMs);
      entry.ours.push(result.first);
      entry.raw.push(rawTiming);
      entry.evaluated.push(result.evaluated);
      results.set(name, entry);
      return result;
    };

    // Cold: the first question, answered in full (the follow-up carries the answer).
    const first = await prepare(QUESTION, []);
    const firstRequest = { system: TUTOR_SYSTEM_PROMPT, history: [], prompt: first.built.prompt };
    const answer = await measure('cold', first, firstRequest, ANSWER_TOKENS);
    const stored = resolveCitations(answer.text, first.built.sources.length).text.trim();

    // Follow-up with the earlier turn exactly as evaluated (sources included): the engine's best case.
    const exact = await prepare(FOLLOW_UP, [], QUESTION);
    await measure('followUpExact', exact, {
      system: TUTOR_SYSTEM_PROMPT,
      history: [
        { role: 'user', text: first.built.prompt },
        { role: 'assistant', text: answer.text },
      ],
      prompt: exact.built.prompt,
    });

    // Follow-up as TutorService sends it: earlier turns as the student asked them.
    const followUp = await prepare(
      FOLLOW_UP,
      [
        { role: 'user', text: QUESTION },
        { role: 'assistant', text: stored },
      ],
      QUESTION,
    );
    await measure('followUpTutor', followUp, {
      system: TUTOR_SYSTEM_PROMPT,
      history: followUp.built.history,
      prompt: followUp.built.prompt,
    });

    // Warm: the first question again, now that the engine has just answered another one.
    const again = await prepare(QUESTION, []);
    await measure('warm', again, { system: TUTOR_SYSTEM_PROMPT, history: [], prompt: again.built.prompt });

    await rawContext.dispose();
    await engine.close();
    const line = [...results].map(
      ([name, r]) =>
        `${name} ${ms(r.ours.at(-1)!.wall)} vs ${ms(r.raw.at(-1)!.wall)} (prep ${ms(r.prep.at(-1)!)})`,
    );
    console.log(`round ${round + 1} (${seconds(roundStarted)}): ${line.join('; ')}`);
  }

  const LABELS: Record<Case, string> = {
    cold: 'cold: first question after loading the model',
    warm: 'warm: after answering a different question',
    followUpTutor: 'follow-up, history as the tutor sends it',
    followUpExact: 'follow-up, earlier turn exactly as evaluated',
  };
  const cold = results.get('cold')!;
  const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  printTable(
    `Time to first token of a grounded answer (LlamaCppLlmEngine.generate until the first onText) ` +
      `vs raw prompt processing of the same tokens (sequence.evaluate to its first token), ` +
      `${SHAPE_NAME}-shaped ${WEIGHTS}, ${THREADS} threads, context ${CONTEXT}; medians of ${ROUNDS} rounds ` +
      `(overhead: median of per-round ratios, wall and process CPU time; target <= 10%)`,
    (['cold', 'warm', 'followUpTutor', 'followUpExact'] as const).map((name) => {
      const r = results.get(name)!;
      const overhead = (of: keyof Timing) => median(r.ours.map((value, i) => value[of] / r.raw[i]![of] - 1));
      return {
        case: LABELS[name],
        'prompt tokens': r.total,
        'evaluated (not cached)': median(r.evaluated),
        'retrieve + build': ms(median(r.prep)),
        'first token (ours)': ms(median(r.ours.map((t) => t.wall))),
        'raw, same tokens (baseline)': ms(median(r.raw.map((t) => t.wall))),
        overhead: percent(overhead('wall')),
        'CPU overhead': percent(overhead('cpu')),
        'vs cold': `${(median(r.ours.map((t) => t.wall)) / median(cold.ours.map((t) => t.wall))).toFixed(2)}x`,
      };
    }),
  );
  console.log(`Load average at the end: ${load()}`);

  await rawModel.dispose();
  await embedder.close();
  await chunkTokens.close();
  storage.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
