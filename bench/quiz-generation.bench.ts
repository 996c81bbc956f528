/**
 * Quiz generation from tracemonkey.pdf end to end on a generated chat model of a real shape
 * (Llama-3.2-1B's by default; random weights, real speed): the pages chunked as an import chunks
 * them, cut into token-budgeted sections, one grammar-held call per section (generateItems, the
 * path the generate job runs). Reported beside the generation time it is overhead to:
 * - prompt building: counting the passages' tokens, planning the budget, writing prompts and schemas;
 * - grammar creation: node-llama-cpp's createGrammarForJsonSchema for each section's schema
 *   (inside the engine's call, timed here on the same llama.cpp runtime; the engine caches each).
 * Target (issue 14): both together at most 5% of generation time.
 *
 * BENCH_PAGES (default 1-14), BENCH_ITEMS (default 3), BENCH_THREADS (default 2), BENCH_SHAPE,
 * BENCH_WEIGHTS, BENCH_CHAT_MODEL as in the chat benchmarks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { chatModelChoice, chatModelFile, reportLoad } from './chat-model.js';
import { loadLlamaRuntime } from '../packages/core/src/ai/llama/llama-runtime.js';
import { LlamaCppLlmEngine } from '../packages/core/src/ai/llm/llama-cpp-llm-engine.js';
import type { JsonSchema } from '../packages/core/src/ai/llm/llm-engine.js';
import { resolveTokenCounter } from '../packages/core/src/ai/tokenizer/vocabulary-token-counter.js';
import { generateItems } from '../packages/core/src/domains/generate/generation-pipeline.js';
import { chunkPages } from '../packages/core/src/search/chunker.js';
import type { Passage } from '../packages/core/src/search/hybrid-search.js';
import { tracemonkeyPages } from '../packages/core/src/search/test-support/tracemonkey.js';
import { printTable } from './stats.js';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 3);
const [FIRST, LAST] = (process.env.BENCH_PAGES ?? '1-14').split('-').map(Number) as [number, number];
const CONTEXT = 4096;

const { shapeName, weights } = chatModelChoice();
reportLoad(THREADS, 1);
const root = mkdtempSync(join(tmpdir(), 'lm-bench-quiz-'));
try {
  const modelPath = chatModelFile(root);
  const counter = await resolveTokenCounter({ cacheDir: join(root, 'cache') });
  const pages = (await tracemonkeyPages()).filter((page) => page.number >= FIRST && page.number <= LAST);
  const passages: Passage[] = chunkPages(pages, { countTokens: counter.countTokens }).map((chunk, i) => ({
    chunkId: i + 1,
    ref: { kind: 'material', id: '00000000-0000-4000-8000-000000000001' },
    title: 'tracemonkey',
    materialType: 'pdf',
    classId: null,
    location: { kind: 'pages', pageStart: chunk.pageStart, pageEnd: chunk.pageEnd, spans: chunk.spans },
    heading: chunk.heading,
    text: chunk.text,
  }));

  const engine = await LlamaCppLlmEngine.load({
    modelPath,
    modelId: 'bench-chat',
    label: 'bench',
    threads: THREADS,
    contextSize: CONTEXT,
    runtime: await loadLlamaRuntime('off'),
  });
  // The schemas the run asked for, to time their grammars on the same llama.cpp separately.
  const schemas: JsonSchema[] = [];
  const watched = {
    info: engine.info,
    countTokens: (text: string) => engine.countTokens(text),
    close: () => engine.close(),
    generate: (request: Parameters<typeof engine.generate>[0]) => {
      if (request.jsonSchema) schemas.push(request.jsonSchema);
      return engine.generate(request);
    },
  };
  const started = performance.now();
  const { items, report } = await generateItems({
    engine: watched,
    kind: 'quiz',
    passages,
    count: ITEMS,
    signal: new AbortController().signal,
  });
  const wallMs = performance.now() - started;

  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  let grammarMs = 0;
  for (const schema of schemas) {
    const t0 = performance.now();
    await llama.createGrammarForJsonSchema(schema as never);
    grammarMs += performance.now() - t0;
  }
  await engine.close();

  const overhead = report.preparationMs + grammarMs;
  console.log(
    `\ntracemonkey.pdf pages ${FIRST}-${LAST}: ${passages.length} passages, ${report.sections} sections of at most ` +
      `${report.sectionTokens} source tokens (source tokens per section: ${report.sourceTokens.join(', ')}); ` +
      `${items.length} questions written; ${shapeName}-shaped ${weights}, ${THREADS} threads, context ${CONTEXT}`,
  );
  printTable('Quiz generation: overhead beside generation time', [
    { measure: 'prompt building (ms)', value: report.preparationMs.toFixed(1) },
    { measure: 'grammar creation (ms)', value: grammarMs.toFixed(1) },
    { measure: 'generation, the baseline (ms)', value: report.generationMs.toFixed(0) },
    {
      measure: 'overhead / generation',
      value: `${((overhead / report.generationMs) * 100).toFixed(2)}% (target <= 5%)`,
    },
    { measure: 'prompt tokens', value: report.promptTokens },
    { measure: 'output tokens', value: report.outputTokens },
    { measure: 'end to end (ms)', value: wallMs.toFixed(0) },
  ]);
} finally {
  rmSync(root, { recursive: true, force: true });
}
