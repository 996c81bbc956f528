import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { loadLlamaRuntime } from '../../ai/llama/llama-runtime.js';
import { LlamaCppLlmEngine } from '../../ai/llm/llama-cpp-llm-engine.js';
import type { GenerateRequest, LlmEngine } from '../../ai/llm/llm-engine.js';
import type { Passage } from '../../search/hybrid-search.js';
import { tempDir } from '../../test-support/temp-core.js';
import { arrangeAnswers, generateItems, planBudget } from './generation-pipeline.js';
import { cutSections, sectionTokensFor } from './sections.js';

let dir: ReturnType<typeof tempDir>;
let engine: LlamaCppLlmEngine;

beforeAll(async () => {
  dir = tempDir('lm-generate-pipeline-');
  engine = await LlamaCppLlmEngine.load({
    modelPath: makeTestChatModel(dir.path).path,
    modelId: 'chat-test',
    label: 'Test chat',
    threads: 1,
    contextSize: 4096,
    runtime: await loadLlamaRuntime('off'),
  });
}, 60_000);
afterAll(async () => {
  await engine?.close();
  dir?.remove();
});

const TOPICS = ['mitochondria', 'ribosomes', 'the nucleus', 'chloroplasts', 'the cell membrane', 'vacuoles'];
/** Passages of a made-up material, 900 characters each, on pages 1..n. */
const passages: Passage[] = TOPICS.map((topic, i) => ({
  chunkId: i + 1,
  ref: { kind: 'material', id: '00000000-0000-4000-8000-000000000001' },
  title: 'Cell biology',
  materialType: 'text',
  classId: null,
  location: { kind: 'pages', pageStart: i + 1, pageEnd: i + 1, spans: [{ page: i + 1, start: 0, end: 900 }] },
  heading: null,
  text: `About ${topic}. `.padEnd(900, `${topic} matter to every cell and are studied in this course. `),
}));

/** The real engine, with each request it was given kept, to check what the model was shown. */
function watched(inner: LlmEngine): { engine: LlmEngine; requests: GenerateRequest[] } {
  const requests: GenerateRequest[] = [];
  return {
    requests,
    engine: {
      info: inner.info,
      countTokens: (text) => inner.countTokens(text),
      close: () => inner.close(),
      generate: (request) => {
        requests.push(request);
        return inner.generate(request);
      },
    },
  };
}

describe('the generation pipeline on a generated GGUF model (real llama.cpp, grammar-held JSON)', () => {
  it(
    'cuts sections within the budget and every item cites only passages that were in its prompt',
    { timeout: 240_000 },
    async () => {
      const { engine: seen, requests } = watched(engine);
      const { items, report } = await generateItems({
        engine: seen,
        kind: 'quiz',
        passages,
        count: 4,
        signal: new AbortController().signal,
      });

      // The tiny model's vocabulary spends about a token per character: several sections.
      expect(report.sections).toBeGreaterThan(1);
      expect(requests).toHaveLength(report.sections);
      for (const tokens of report.sourceTokens) expect(tokens).toBeLessThanOrEqual(report.sectionTokens);
      for (const request of requests) {
        const whole = (await engine.countTokens(request.system)) + (await engine.countTokens(request.prompt));
        expect(whole + request.maxTokens).toBeLessThanOrEqual(engine.info.contextTokens);
      }

      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(4);
      for (const item of items) {
        expect(item.passages.length).toBeGreaterThan(0);
        for (const passage of item.passages) {
          const request = requests.find((r) =>
            r.prompt.includes(`[${passage.label}]\n${passage.text.trim()}`),
          );
          expect(request, `${passage.label} was in a prompt`).toBeDefined();
          const { multipleChoice } = (
            request!.jsonSchema as {
              properties: Record<
                string,
                { items: { properties: { sources: { items: { enum: string[] } } } } }
              >;
            }
          ).properties;
          expect(multipleChoice!.items.properties.sources.items.enum).toContain(passage.label);
        }
        const { content } = item;
        if (content.type === 'multiple-choice') {
          expect(content.options).toHaveLength(4);
          expect(content.answer).toBeGreaterThanOrEqual(0);
          expect(content.answer).toBeLessThan(4);
          // The grammar counts characters (code points), as the schema's maxLength means.
          expect(Array.from(content.question).length).toBeLessThanOrEqual(200);
        } else expect(['true-false', 'short-answer']).toContain(content.type);
      }
    },
  );

  it('writes basic and cloze cards in the deck’s cloze syntax', { timeout: 240_000 }, async () => {
    const { items } = await generateItems({
      engine,
      kind: 'flashcards',
      passages: passages.slice(0, 2),
      count: 3,
      signal: new AbortController().signal,
    });
    expect(items.length).toBeGreaterThan(0);
    for (const { content } of items) {
      expect(['basic', 'cloze']).toContain(content.type);
      if (content.type === 'cloze') expect(content.text).toMatch(/\{\{c1::[^}]+\}\}/);
    }
  });

  it('stops when cancelled, returning nothing', { timeout: 120_000 }, async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      generateItems({ engine, kind: 'quiz', passages, count: 3, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('budgets', () => {
  it('states the section size per model context, and shrinks it when the answer would not fit', () => {
    expect(sectionTokensFor(4096)).toBe(1200);
    expect(sectionTokensFor(8192)).toBe(2500);
    expect(sectionTokensFor(128_000)).toBe(5000);
    const english = [{ text: 'a'.repeat(4000), tokens: 1000 }];
    expect(
      planBudget({ contextTokens: 4096, systemTokens: 150, passages: english, kind: 'quiz' }),
    ).toMatchObject({
      sectionTokens: 1200,
    });
    const tiny = [{ text: 'a'.repeat(300), tokens: 300 }];
    const plan = planBudget({ contextTokens: 2560, systemTokens: 600, passages: tiny, kind: 'quiz' });
    expect(plan.sectionTokens).toBeLessThan(1200);
    expect(plan.sectionTokens + 600 + plan.itemTokens).toBeLessThanOrEqual(2560);
    expect(() =>
      planBudget({ contextTokens: 1024, systemTokens: 600, passages: tiny, kind: 'quiz' }),
    ).toThrow(/reads too little text at once/);
  });

  it('shares the items among sections by size, within what each answer has room for', () => {
    const sized = passages.map((passage) => ({ ...passage, tokens: 100 }));
    const sections = cutSections(sized, 250, 5, 2);
    expect(sections.map((section) => section.passages.length)).toEqual([2, 2, 2]);
    expect(sections.reduce((sum, section) => sum + section.items, 0)).toBe(5);
    for (const section of sections) expect(section.items).toBeLessThanOrEqual(2);
    // Fewer items than sections: they come from across the source.
    expect(cutSections(sized, 250, 2, 2).map((section) => section.passages[0]!.label)).toEqual(['S1', 'S5']);
    expect(sections.flatMap((section) => section.passages.map((p) => p.label))).toEqual([
      'S1',
      'S2',
      'S3',
      'S4',
      'S5',
      'S6',
    ]);
  });

  it('places multiple-choice answers at varied positions, keeping the right option right', () => {
    const question = (n: number) => ({
      passages: [],
      content: {
        type: 'multiple-choice' as const,
        question: `Question ${n}`,
        options: ['right', 'wrong 1', 'wrong 2', 'wrong 3'],
        answer: 0,
        explanation: '',
      },
    });
    const arranged = arrangeAnswers([0, 1, 2, 3].map(question));
    const positions = arranged.map((item) =>
      item.content.type === 'multiple-choice' ? item.content.answer : -1,
    );
    expect(new Set(positions).size).toBe(4);
    for (const item of arranged)
      if (item.content.type === 'multiple-choice')
        expect(item.content.options[item.content.answer]).toBe('right');
  });
});
