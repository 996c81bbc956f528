import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { LlamaCppLlmEngine } from '../../ai/llm/llama-cpp-llm-engine.js';
import { tempDir } from '../../test-support/temp-core.js';
import {
  buildGroundedPrompt,
  sourceLabel,
  TUTOR_SYSTEM_PROMPT,
  type PromptBudget,
} from './grounded-prompt.js';
import type { Passage } from './tutor-retriever.js';

let dir: ReturnType<typeof tempDir>;
let modelPath: string;

beforeAll(() => {
  dir = tempDir('lm-prompt-');
  modelPath = makeTestChatModel(dir.path).path;
});
afterAll(() => dir.remove());

const load = () =>
  LlamaCppLlmEngine.load({ modelPath, modelId: 'chat-test', label: 'Test', threads: 1, contextSize: 1024 });

const pages = (pageStart: number, pageEnd = pageStart) => ({
  kind: 'pages' as const,
  pageStart,
  pageEnd,
  spans: [{ page: pageStart, start: 0, end: 40 }],
});

function passage(i: number, overrides: Partial<Passage> = {}): Passage {
  return {
    chunkId: i,
    ref: { kind: 'material', id: '00000000-0000-4000-8000-00000000000' + (i % 10) },
    title: `Lecture ${i}`,
    materialType: 'pdf',
    location: pages(i + 1),
    heading: null,
    text: `Passage ${i}. ${'Trace trees record the hot loops of a program and compile them. '.repeat(6)}`,
    ...overrides,
  };
}

describe('buildGroundedPrompt with a real tokenizer (llama.cpp)', () => {
  it('never exceeds its budget: the engine itself counts the whole request within the context', async () => {
    const engine = await load();
    try {
      const budget: PromptBudget = {
        contextTokens: 1024,
        answerTokens: 128,
        sourceTokens: 600,
        historyTokens: 200,
      };
      const built = await buildGroundedPrompt({
        question: 'How are hot loops compiled?',
        passages: Array.from({ length: 12 }, (_, i) => passage(i)),
        history: Array.from({ length: 6 }, (_, i) => ({
          role: i % 2 ? ('assistant' as const) : ('user' as const),
          text: `Earlier turn ${i} about trace trees [1]. `.repeat(8),
        })),
        budget,
        countTokens: (text) => engine.countTokens(text),
        countRequestTokens: (request) => engine.countRequestTokens(request),
      });
      // Some sources and turns had to be left out, whole, to fit.
      expect(built.sources.length).toBeGreaterThan(0);
      expect(built.sources.length).toBeLessThan(12);
      expect(built.history.length).toBeLessThan(6);
      expect(built.history.every((turn) => !turn.text.includes('[1]'))).toBe(true);
      expect(built.tokens).toBeLessThanOrEqual(budget.contextTokens - budget.answerTokens);

      // The first request on a fresh engine evaluates everything: the chat template included.
      const result = await engine.generate({
        system: TUTOR_SYSTEM_PROMPT,
        history: built.history,
        prompt: built.prompt,
        maxTokens: budget.answerTokens,
        temperature: 0,
      });
      expect(result.usage.promptTokens).toBeGreaterThan(built.tokens - 4);
      expect(result.usage.promptTokens).toBeLessThanOrEqual(built.tokens);
      expect(result.usage.promptTokens! + budget.answerTokens).toBeLessThanOrEqual(budget.contextTokens);
    } finally {
      await engine.close();
    }
  });

  it('numbers the sources in order and labels each with its material and place', async () => {
    const engine = await load();
    try {
      const built = await buildGroundedPrompt({
        question: 'What is a trace tree?',
        passages: [
          passage(0, { title: 'TraceMonkey paper', location: pages(6, 7) }),
          passage(1, { title: 'Week 3', materialType: 'slides', location: pages(2) }),
        ],
        history: [],
        budget: { contextTokens: 4096, answerTokens: 256, sourceTokens: 1000, historyTokens: 500 },
        countTokens: (text) => engine.countTokens(text),
      });
      expect(built.sources.map((s) => [s.n, s.title, s.location])).toEqual([
        [1, 'TraceMonkey paper', pages(6, 7)],
        [2, 'Week 3', pages(2)],
      ]);
      expect(built.sources[0]!.ref).toEqual(passage(0).ref);
      expect(built.prompt).toContain('[1] TraceMonkey paper, page 6–7\nPassage 0.');
      expect(built.prompt).toContain('[2] Week 3, slide 2\nPassage 1.');
      expect(built.prompt.trimEnd().endsWith('Question: What is a trace tree?')).toBe(true);
      expect(built.sources[0]!.excerpt.length).toBeLessThanOrEqual(161);
    } finally {
      await engine.close();
    }
  });

  it('says no source covers the question when none was found', async () => {
    const built = await buildGroundedPrompt({
      question: 'Who painted the Sistine Chapel?',
      passages: [],
      history: [],
      budget: { contextTokens: 4096, answerTokens: 256, sourceTokens: 1000, historyTokens: 500 },
      countTokens: async (text) => text.length,
    });
    expect(built.sources).toEqual([]);
    expect(built.prompt).toMatch(/^No source in the student's material covers this question/);
  });
});

describe('a question longer than the model can take', () => {
  it('is refused with a clear message', async () => {
    const built = buildGroundedPrompt({
      question: 'why '.repeat(500),
      passages: [],
      history: [],
      budget: { contextTokens: 1024, answerTokens: 256, sourceTokens: 500, historyTokens: 200 },
      countTokens: async (text) => text.length,
    });
    await expect(built).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /too long/ });
  });
});

describe('sourceLabel', () => {
  it('names a lecture moment by its time', () => {
    const moment = { kind: 'time' as const, startSec: 725.4, endSec: 731 };
    expect(sourceLabel({ ...passage(0), title: 'Lecture 4', materialType: null, location: moment })).toBe(
      'Lecture 4, 12:05',
    );
  });
});
