import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../contract/index.js';
import { VOCABULARY_CACHE } from '../../../search/test-support/library.js';
import { resolveTokenCounter } from '../../tokenizer/vocabulary-token-counter.js';
import type { GenerateRequest } from '../llm-engine.js';
import {
  AZURE_DEFAULT_API_VERSION,
  AZURE_DEFAULT_CONTEXT_TOKENS,
  AzureOpenAiLlmEngine,
  type AzureOpenAiLlmEngineOptions,
} from './azure-openai-llm-engine.js';
import { startAzureOpenAiServer, type AzureOpenAiServer } from './test-support/azure-openai-server.js';

const API_KEY = '3f1c9a7be2d84c6f9a0b1c2d3e4f5a6b';
const DEPLOYMENT = 'gpt-4o-mini-tutor';
const REASONING_DEPLOYMENT = 'o4-mini-tutor';
const SYSTEM = 'You are a patient tutor. Answer from the numbered sources.';

let server: AzureOpenAiServer;
const engines: AzureOpenAiLlmEngine[] = [];

beforeAll(async () => {
  server = await startAzureOpenAiServer({
    apiKey: API_KEY,
    deployments: [DEPLOYMENT, REASONING_DEPLOYMENT],
    reasoningDeployments: [REASONING_DEPLOYMENT],
  });
});
afterEach(async () => {
  server.answer = { text: ['Hello'] };
  server.throttle = undefined;
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});
afterAll(() => server.close());

function engine(overrides: Partial<AzureOpenAiLlmEngineOptions> = {}): AzureOpenAiLlmEngine {
  const created = new AzureOpenAiLlmEngine({
    endpoint: server.url,
    deployment: DEPLOYMENT,
    apiKey: API_KEY,
    vocabulary: { cacheDir: VOCABULARY_CACHE },
    ...overrides,
  });
  engines.push(created);
  return created;
}

function ask(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    system: SYSTEM,
    history: [],
    prompt: 'What does a tracing JIT record?',
    maxTokens: 200,
    ...overrides,
  };
}

/** Fails unless the promise rejects with this code and message, and no key is anywhere in the error. */
async function expectFailure(promise: Promise<unknown>, code: string, message: RegExp, secrets = [API_KEY]) {
  const error = await promise.then(
    () => expect.unreachable('the call should have failed'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
  const everything = JSON.stringify({
    message: (error as AppError).message,
    details: (error as AppError).details,
  });
  for (const secret of secrets) {
    expect(everything).not.toContain(secret);
    expect((error as AppError).stack ?? '').not.toContain(secret);
  }
  return error as AppError;
}

describe('AzureOpenAiLlmEngine against a chat completions server on 127.0.0.1', () => {
  it('describes itself as a cloud model and sends nothing until asked', () => {
    const before = server.requests.length;
    expect(engine().info).toEqual({
      id: `azure:${DEPLOYMENT}`,
      label: `Azure OpenAI · ${DEPLOYMENT}`,
      cloud: true,
      contextTokens: AZURE_DEFAULT_CONTEXT_TOKENS,
    });
    expect(engine({ contextTokens: 1_000_000, label: 'GPT-4.1' }).info).toMatchObject({
      contextTokens: 1_000_000,
      label: 'GPT-4.1',
    });
    expect(server.requests.length).toBe(before);
  });

  it('counts tokens with the bundled real vocabulary, offline', async () => {
    const before = server.requests.length;
    const reference = await resolveTokenCounter({ cacheDir: VOCABULARY_CACHE });
    try {
      const text = 'The tracing JIT compiles hot loops.';
      expect(await engine().countTokens(text)).toBe(reference.countTokens(text));
    } finally {
      await reference.close();
    }
    expect(server.requests.length).toBe(before);
  });

  it('streams the answer in order and returns the same text with usage', async () => {
    server.answer = {
      text: ['A tracing JIT', ' records', ' the hot', ' loops [1].'],
      usage: { promptTokens: 42, completionTokens: 4 },
    };
    const pieces: string[] = [];
    const result = await engine().generate(
      ask({
        history: [
          { role: 'user', text: 'What is TraceMonkey?' },
          { role: 'assistant', text: 'A tracing JIT for JavaScript [1].' },
        ],
        onText: (piece) => pieces.push(piece),
      }),
    );
    expect(pieces).toEqual(['A tracing JIT', ' records', ' the hot', ' loops [1].']);
    expect(result).toEqual({
      text: 'A tracing JIT records the hot loops [1].',
      finish: 'done',
      usage: { promptTokens: 42, outputTokens: 4 },
    });

    const received = server.requests.at(-1)!;
    expect(received.deployment).toBe(DEPLOYMENT);
    expect(received.apiVersion).toBe(AZURE_DEFAULT_API_VERSION);
    expect(received.headers['api-key']).toBe(API_KEY);
    expect(received.headers.authorization).toBeUndefined();
    expect(received.body).toEqual({
      model: DEPLOYMENT,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'What is TraceMonkey?' },
        { role: 'assistant', content: 'A tracing JIT for JavaScript [1].' },
        { role: 'user', content: 'What does a tracing JIT record?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 200,
      temperature: 0.7,
    });
  });

  it.each([
    ['length', 'length'],
    ['stop', 'done'],
  ] as const)('maps the finish reason %s to %s', async (finishReason, finish) => {
    server.answer = { text: ['Partial'], finishReason };
    expect(await engine().generate(ask())).toMatchObject({ text: 'Partial', finish });
  });

  it('stops mid-answer: the text so far, finish "stopped", and the connection closed', async () => {
    server.answer = { text: ['One', ' two', ' three', ' four', ' five'], holdAfter: 3 };
    const controller = new AbortController();
    const pieces: string[] = [];
    const result = await engine().generate(
      ask({
        signal: controller.signal,
        onText: (piece) => {
          pieces.push(piece);
          if (pieces.length === 3) controller.abort();
        },
      }),
    );
    expect(result).toEqual({
      text: 'One two three',
      finish: 'stopped',
      usage: { promptTokens: null, outputTokens: null },
    });
    await server.clientWentAway();
  });

  it('sends nothing when stopped before it starts', async () => {
    const before = server.requests.length;
    expect(await engine().generate(ask({ signal: AbortSignal.abort() }))).toMatchObject({
      text: '',
      finish: 'stopped',
    });
    expect(server.requests.length).toBe(before);
  });

  it('asks for a structured answer with a strict JSON schema and returns the JSON', async () => {
    const schema = {
      type: 'object',
      properties: { term: { type: 'string' }, definition: { type: 'string' } },
      required: ['term', 'definition'],
      additionalProperties: false,
    };
    server.answer = { text: ['{"term":"trace', ' tree","definition":', '"Loops recorded as traces."}'] };
    const pieces: string[] = [];
    const result = await engine().generate(
      ask({ jsonSchema: schema, onText: (piece) => pieces.push(piece) }),
    );
    expect(JSON.parse(result.text)).toEqual({ term: 'trace tree', definition: 'Loops recorded as traces.' });
    expect(pieces.join('')).toBe(result.text);
    const { body } = server.requests.at(-1)!;
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
    expect(body.temperature).toBe(0);
  });

  it('wraps a schema whose root is not an object, and gives back the unwrapped JSON', async () => {
    const schema = { type: 'array', items: { type: 'string' } };
    server.answer = { text: ['{"value":["trace",', '"tree"]}'] };
    const result = await engine().generate(ask({ jsonSchema: schema }));
    expect(JSON.parse(result.text)).toEqual(['trace', 'tree']);
    expect(
      (server.requests.at(-1)!.body.response_format as { json_schema: { schema: unknown } }).json_schema
        .schema,
    ).toEqual({
      type: 'object',
      properties: { value: schema },
      required: ['value'],
      additionalProperties: false,
    });
  });

  it('asks a reasoning deployment again without a temperature when it refuses one', async () => {
    server.answer = { text: ['Thought through.'] };
    const reasoning = engine({ deployment: REASONING_DEPLOYMENT });
    expect(await reasoning.generate(ask())).toMatchObject({ text: 'Thought through.', finish: 'done' });
    const [refused, accepted] = server.requests.slice(-2);
    expect(refused!.body.temperature).toBe(0.7);
    expect(accepted!.body).not.toHaveProperty('temperature');
    // Remembered: the next question goes without it at once.
    const before = server.requests.length;
    await reasoning.generate(ask());
    expect(server.requests.length).toBe(before + 1);
  });

  it('refuses a wrong key plainly, without showing either key', async () => {
    const wrongKey = '0000aaaa1111bbbb2222cccc3333dddd';
    await expectFailure(
      engine({ apiKey: wrongKey }).generate(ask()),
      'UNAUTHORIZED',
      /^Azure OpenAI refused the key: check it in Settings › Tutor\.$/,
      [wrongKey, API_KEY],
    );
  });

  it('says the deployment is busy when rate limited, with the wait it asked for', async () => {
    server.throttle = { retryAfterSeconds: 7 };
    const error = await expectFailure(
      engine().generate(ask()),
      'ENGINE_UNAVAILABLE',
      /^Azure OpenAI is busy .*try again in a minute\.$/,
    );
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 7 });
  });

  it('names a deployment that does not exist', async () => {
    await expectFailure(
      engine({ deployment: 'gpt-4o-typo' }).generate(ask()),
      'NOT_FOUND',
      /^Azure OpenAI has no deployment named gpt-4o-typo at 127\.0\.0\.1:\d+: check the deployment name in Settings › Tutor\.$/,
    );
  });

  it('reports a filtered answer plainly', async () => {
    server.answer = { text: ['I cannot'], finishReason: 'content_filter' };
    await expectFailure(
      engine().generate(ask()),
      'INVALID_INPUT',
      /content filter withheld this answer: rephrase/,
    );
  });

  it('says it cannot reach Azure when nothing listens at the address', async () => {
    const closedPort = await freePort();
    await expectFailure(
      engine({ endpoint: `http://127.0.0.1:${closedPort}` }).generate(ask()),
      'ENGINE_UNAVAILABLE',
      new RegExp(
        `^Cannot reach Azure OpenAI \\(127\\.0\\.0\\.1:${closedPort}\\): check the internet connection`,
      ),
    );
  });

  it('refuses settings it cannot use before sending anything', () => {
    const invalid = (overrides: Partial<AzureOpenAiLlmEngineOptions>) => () => engine(overrides);
    expect(invalid({ apiVersion: '2024-02-01' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/use 2024-10-21 or newer/),
      }),
    );
    expect(invalid({ endpoint: 'my-resource' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(invalid({ deployment: '' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(invalid({ apiKey: ' ' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(engine({ apiVersion: '2025-04-01-preview', endpoint: `${server.url}/` }).info.id).toBe(
      `azure:${DEPLOYMENT}`,
    );
  });
});

/** A port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
