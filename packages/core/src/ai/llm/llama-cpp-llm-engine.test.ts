import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { AppError } from '../../contract/index.js';
import { tempDir } from '../../test-support/temp-core.js';
import { LlamaCppLlmEngine } from './llama-cpp-llm-engine.js';
import type { GenerateRequest } from './llm-engine.js';
import { loadLlamaRuntime } from '../llama/llama-runtime.js';

let dir: ReturnType<typeof tempDir>;
let engine: LlamaCppLlmEngine;

const load = async (modelPath: string) =>
  LlamaCppLlmEngine.load({
    modelPath,
    modelId: 'chat-test',
    label: 'Test chat',
    threads: 1,
    contextSize: 4096,
    runtime: await loadLlamaRuntime('off'),
  });

beforeAll(async () => {
  dir = tempDir('lm-llm-');
  engine = await load(makeTestChatModel(dir.path).path);
});
afterAll(async () => {
  await engine?.close();
  dir.remove();
});

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({
  system: 'You are a study tutor. Answer from the sources.',
  history: [],
  prompt: 'What is a trace tree?',
  maxTokens: 24,
  temperature: 0,
  ...overrides,
});

describe('LlamaCppLlmEngine on a generated GGUF chat model (real llama.cpp)', () => {
  it('streams text pieces in order that add up to the answer', async () => {
    const pieces: string[] = [];
    const result = await engine.generate(request({ onText: (text) => pieces.push(text) }));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(result.text);
    expect(result.finish).toBe('length');
    expect(result.usage.outputTokens).toBe(24);
    expect(engine.info).toMatchObject({ id: 'chat-test', cloud: false, contextTokens: 4096 });
  });

  it('is deterministic at temperature 0', async () => {
    const first = await engine.generate(request());
    const second = await engine.generate(request());
    expect(second.text).toBe(first.text);
  });

  it('stops mid-answer and keeps what was written, marked stopped', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const result = await engine.generate(
      request({
        maxTokens: 400,
        signal: controller.signal,
        onText: (text) => {
          pieces.push(text);
          if (pieces.length === 5) controller.abort();
        },
      }),
    );
    expect(result.finish).toBe('stopped');
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThan(400);
    expect(result.text.startsWith(pieces.slice(0, 5).join(''))).toBe(true);
  });

  it('reuses the evaluated system prompt and conversation on the next turn', async () => {
    const system = 'You are a patient tutor. '.repeat(20);
    const first = await engine.generate(request({ system, prompt: 'First question?' }));
    const second = await engine.generate(
      request({
        system,
        history: [
          { role: 'user', text: 'First question?' },
          { role: 'assistant', text: first.text },
        ],
        prompt: 'And a second one?',
      }),
    );
    // The second request's prompt is far longer, yet only its new turn is evaluated.
    expect(second.usage.promptTokens).toBeLessThan(first.usage.promptTokens! / 2);
  });

  it('answers in JSON matching a schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        question: { type: 'string', maxLength: 40 },
        difficulty: { enum: [1, 2, 3] },
        choices: { type: 'array', items: { type: 'string', maxLength: 12 }, minItems: 2, maxItems: 3 },
      },
      required: ['question', 'difficulty', 'choices'],
    };
    const result = await engine.generate(request({ jsonSchema: schema, maxTokens: 300 }));
    expect(result.finish).toBe('done');
    const parsed = JSON.parse(result.text) as { question: string; difficulty: number; choices: string[] };
    expect(typeof parsed.question).toBe('string');
    expect([1, 2, 3]).toContain(parsed.difficulty);
    expect(parsed.choices.length).toBeGreaterThanOrEqual(2);
  });

  it('answers requests one at a time, in order', async () => {
    const order: string[] = [];
    await Promise.all([
      engine.generate(request({ maxTokens: 4 })).then(() => order.push('a')),
      engine.generate(request({ maxTokens: 4 })).then(() => order.push('b')),
    ]);
    expect(order).toEqual(['a', 'b']);
  });

  it('says a missing model is not installed', async () => {
    const error = await load(join(dir.path, 'missing.gguf')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'MODEL_NOT_INSTALLED', details: { problem: 'missing' } });
  });

  it('says a damaged file is damaged, without crashing', async () => {
    const broken = join(dir.path, 'broken.gguf');
    writeFileSync(broken, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(64, 0xff)]));
    const error = await load(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'MODEL_NOT_INSTALLED', details: { problem: 'damaged' } });
    expect((error as AppError).message).toMatch(/damaged/);
  });
});
