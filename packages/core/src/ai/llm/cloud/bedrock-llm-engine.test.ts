import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../contract/index.js';
import { VOCABULARY_CACHE } from '../../../search/test-support/library.js';
import { resolveTokenCounter } from '../../tokenizer/vocabulary-token-counter.js';
import type { GenerateRequest } from '../llm-engine.js';
import {
  BEDROCK_DEFAULT_CONTEXT_TOKENS,
  BedrockLlmEngine,
  type BedrockLlmEngineOptions,
} from './bedrock-llm-engine.js';
import { startBedrockServer, type BedrockServer } from './test-support/bedrock-server.js';

const REGION = 'eu-west-1';
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const DENIED_MODEL = 'anthropic.claude-opus-4-20250514-v1:0';
const PROFILE_ONLY_MODEL = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
const LLAMA = 'meta.llama3-1-8b-instruct-v1:0';
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7STUDENT',
  secretAccessKey: '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',
};
const SYSTEM = 'You are a patient tutor. Answer from the numbered sources.';

let server: BedrockServer;
const engines: BedrockLlmEngine[] = [];

beforeAll(async () => {
  server = await startBedrockServer({
    region: REGION,
    credentials: CREDENTIALS,
    models: [MODEL, LLAMA, `us.${PROFILE_ONLY_MODEL}`],
    deniedModels: [DENIED_MODEL],
    profileOnlyModels: [PROFILE_ONLY_MODEL],
    modelsWithoutToolChoice: [LLAMA],
  });
});
afterEach(async () => {
  server.answer = { text: ['Hello'] };
  server.throttle = undefined;
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});
afterAll(() => server.close());

function engine(overrides: Partial<BedrockLlmEngineOptions> = {}): BedrockLlmEngine {
  const created = new BedrockLlmEngine({
    region: REGION,
    modelId: MODEL,
    credentials: CREDENTIALS,
    endpoint: server.url,
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

/** Fails unless the promise rejects with this code and message, and no secret is anywhere in the error. */
async function expectFailure(
  promise: Promise<unknown>,
  code: string,
  message: RegExp,
  secrets = [CREDENTIALS.secretAccessKey],
) {
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

describe('BedrockLlmEngine against a ConverseStream server on 127.0.0.1', () => {
  it('describes itself as a cloud model and sends nothing until asked', async () => {
    const before = server.requests.length;
    const bedrock = engine();
    expect(bedrock.info).toEqual({
      id: `bedrock:${MODEL}`,
      label: `Amazon Bedrock · ${MODEL}`,
      cloud: true,
      contextTokens: BEDROCK_DEFAULT_CONTEXT_TOKENS,
    });
    expect(engine({ contextTokens: 200_000, label: 'Claude' }).info).toMatchObject({
      contextTokens: 200_000,
      label: 'Claude',
    });
    expect(server.requests.length).toBe(before);
  });

  it('counts tokens with the bundled real vocabulary, offline', async () => {
    const before = server.requests.length;
    const reference = await resolveTokenCounter({ cacheDir: VOCABULARY_CACHE });
    try {
      expect(reference.exact).toBe(true);
      const text = 'The tracing JIT compiles hot loops.';
      expect(await engine().countTokens(text)).toBe(reference.countTokens(text));
      expect(await engine().countTokens('Hello world')).toBe(2);
    } finally {
      await reference.close();
    }
    expect(server.requests.length).toBe(before);
  });

  it('streams the answer in order, signed with the key, and returns the same text with usage', async () => {
    server.answer = {
      text: ['A tracing JIT', ' records', ' the hot', ' loops [1].'],
      usage: { inputTokens: 31, outputTokens: 4 },
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
      usage: { promptTokens: 31, outputTokens: 4 },
    });

    const received = server.requests.at(-1)!;
    expect(received.modelId).toBe(MODEL);
    expect(received.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/bedrock/aws4_request`,
      ),
    );
    expect(received.body).toEqual({
      system: [{ text: SYSTEM }],
      messages: [
        { role: 'user', content: [{ text: 'What is TraceMonkey?' }] },
        { role: 'assistant', content: [{ text: 'A tracing JIT for JavaScript [1].' }] },
        { role: 'user', content: [{ text: 'What does a tracing JIT record?' }] },
      ],
      inferenceConfig: { maxTokens: 200, temperature: 0.7 },
    });
  });

  it('sends a history with gaps as turns Converse accepts', async () => {
    await engine().generate(
      ask({
        system: '',
        history: [
          { role: 'assistant', text: 'Welcome! Ask me about your slides.' },
          { role: 'user', text: 'First question' },
          { role: 'assistant', text: '' }, // stopped before any text
          { role: 'user', text: 'Second question' },
        ],
        temperature: 0.2,
      }),
    );
    const { body } = server.requests.at(-1)!;
    expect(body.system).toBeUndefined();
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [{ text: 'First question\n\nSecond question\n\nWhat does a tracing JIT record?' }],
      },
    ]);
    expect(body.inferenceConfig).toEqual({ maxTokens: 200, temperature: 0.2 });
  });

  it.each([
    ['max_tokens', 'length'],
    ['stop_sequence', 'done'],
    ['end_turn', 'done'],
  ] as const)('maps the stop reason %s to %s', async (stopReason, finish) => {
    server.answer = { text: ['Partial'], stopReason };
    expect(await engine().generate(ask())).toMatchObject({ text: 'Partial', finish });
  });

  it('stops mid-answer: the text so far, finish "stopped", and the stream closed', async () => {
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
    const result = await engine().generate(ask({ signal: AbortSignal.abort() }));
    expect(result).toMatchObject({ text: '', finish: 'stopped' });
    expect(server.requests.length).toBe(before);
  });

  it('asks for a structured answer through a forced tool and returns its input as JSON', async () => {
    const schema = {
      type: 'object',
      properties: { term: { type: 'string' }, definition: { type: 'string' } },
      required: ['term', 'definition'],
      additionalProperties: false,
    };
    server.answer = {
      toolInput: ['{"term": "trace', ' tree", "definition": ', '"Loops recorded as traces."}'],
    };
    const pieces: string[] = [];
    const result = await engine().generate(
      ask({ jsonSchema: schema, onText: (piece) => pieces.push(piece) }),
    );

    expect(JSON.parse(result.text)).toEqual({ term: 'trace tree', definition: 'Loops recorded as traces.' });
    expect(pieces.join('')).toBe(result.text);
    expect(result.finish).toBe('done');
    const { body } = server.requests.at(-1)!;
    expect(body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'give_answer',
            description: 'Give the answer in exactly this structure.',
            inputSchema: { json: schema },
          },
        },
      ],
      toolChoice: { tool: { name: 'give_answer' } },
    });
    expect(body.inferenceConfig).toEqual({ maxTokens: 200, temperature: 0 });
  });

  it('wraps a schema whose root is not an object, and gives back the unwrapped JSON', async () => {
    const schema = { type: 'array', items: { type: 'string', maxLength: 40 } };
    server.answer = { toolInput: ['{"value": ["trace",', ' "tree"]}'] };
    const pieces: string[] = [];
    const result = await engine().generate(
      ask({ jsonSchema: schema, onText: (piece) => pieces.push(piece) }),
    );
    expect(JSON.parse(result.text)).toEqual(['trace', 'tree']);
    expect(pieces).toEqual([result.text]);
    const tool = (
      server.requests.at(-1)!.body.toolConfig as { tools: { toolSpec: { inputSchema: unknown } }[] }
    ).tools[0]!;
    expect(tool.toolSpec.inputSchema).toEqual({
      json: {
        type: 'object',
        properties: { value: schema },
        required: ['value'],
        additionalProperties: false,
      },
    });
  });

  it('refuses a wrong access key id as Bedrock does, without showing the secret', async () => {
    const wrong = {
      accessKeyId: 'AKIAIOSFODNN7WRONGID',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY1',
    };
    await expectFailure(
      engine({ credentials: wrong }).generate(ask()),
      'UNAUTHORIZED',
      /^Amazon Bedrock refused the access key: check it in Settings › Tutor\.$/,
      [wrong.secretAccessKey, CREDENTIALS.secretAccessKey],
    );
  });

  it('refuses a wrong secret key (the signature does not match)', async () => {
    const wrong = { ...CREDENTIALS, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYTYPO00KEY' };
    const error = await expectFailure(
      engine({ credentials: wrong }).generate(ask()),
      'UNAUTHORIZED',
      /refused the access key/,
      [wrong.secretAccessKey, CREDENTIALS.secretAccessKey],
    );
    expect(error.details).toMatchObject({ reason: 'InvalidSignatureException', status: 403 });
  });

  it('takes pasted keys with stray spaces, and an empty session token as none', async () => {
    const pasted = {
      accessKeyId: ` ${CREDENTIALS.accessKeyId} `,
      secretAccessKey: `${CREDENTIALS.secretAccessKey}\n`,
      sessionToken: '',
    };
    expect(await engine({ credentials: pasted }).generate(ask())).toMatchObject({
      text: 'Hello',
      finish: 'done',
    });
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('x-amz-security-token');
  });

  it('signs temporary credentials with their session token', async () => {
    const temporary = {
      ...CREDENTIALS,
      accessKeyId: 'ASIAIOSFODNN7STUDENT',
      sessionToken: 'FwoGZXIvYXdzEBYaDSESSIONTOKENOFTHESTUDENT',
    };
    const own = await startBedrockServer({ region: REGION, credentials: temporary, models: [MODEL] });
    try {
      own.answer = { text: ['Signed'] };
      expect(await engine({ endpoint: own.url, credentials: temporary }).generate(ask())).toMatchObject({
        text: 'Signed',
      });
      expect(own.requests[0]!.headers['x-amz-security-token']).toBe(temporary.sessionToken);
      await expectFailure(
        engine({
          endpoint: own.url,
          credentials: { ...temporary, sessionToken: 'FwoGZXIvYXdzEBYaDEXPIREDTOKEN00000000' },
        }).generate(ask()),
        'UNAUTHORIZED',
        /refused the access key/,
        ['FwoGZXIvYXdzEBYaDEXPIREDTOKEN00000000', temporary.secretAccessKey],
      );
    } finally {
      await own.close();
    }
  });

  it('says the service is busy when throttled, with the wait it asked for', async () => {
    server.throttle = { retryAfterSeconds: 20 };
    const error = await expectFailure(
      engine().generate(ask()),
      'ENGINE_UNAVAILABLE',
      /^Amazon Bedrock is busy .*try again in a minute\.$/,
    );
    expect(error.details).toMatchObject({
      reason: 'ThrottlingException',
      status: 429,
      retryAfterSeconds: 20,
    });

    server.throttle = {};
    const unknownWait = await expectFailure(engine().generate(ask()), 'ENGINE_UNAVAILABLE', /busy/);
    expect(unknownWait.details).not.toHaveProperty('retryAfterSeconds');
  });

  it('reports throttling that arrives inside the stream', async () => {
    server.answer = {
      text: ['Half an'],
      exception: { type: 'throttlingException', message: 'Too many tokens, please wait.' },
    };
    await expectFailure(engine().generate(ask()), 'ENGINE_UNAVAILABLE', /busy/);
  });

  it('names the model when the account has no access to it, or it does not exist', async () => {
    await expectFailure(
      engine({ modelId: DENIED_MODEL }).generate(ask()),
      'UNAUTHORIZED',
      new RegExp(
        `denied access to the model ${DENIED_MODEL.replace(/[.:]/g, '\\$&')}: .*Model access.* for ${REGION}`,
      ),
    );
    await expectFailure(
      engine({ modelId: 'anthropic.claude-9-nonexistent' }).generate(ask()),
      'NOT_FOUND',
      /^Amazon Bedrock has no model anthropic\.claude-9-nonexistent in eu-west-1: check the model in Settings › Tutor\.$/,
    );
  });

  it('says when a model is served only through an inference profile', async () => {
    await expectFailure(
      engine({ modelId: PROFILE_ONLY_MODEL }).generate(ask()),
      'INVALID_INPUT',
      /only through a cross-region inference profile: enter the profile id \(such as us\.anthropic\.claude-3-7-sonnet/,
    );
    server.answer = { text: ['Through the profile'] };
    expect(await engine({ modelId: `us.${PROFILE_ONLY_MODEL}` }).generate(ask())).toMatchObject({
      text: 'Through the profile',
    });
  });

  it('says when a model cannot give structured answers, and still converses with it', async () => {
    await expectFailure(
      engine({ modelId: LLAMA }).generate(ask({ jsonSchema: { type: 'object', properties: {} } })),
      'INVALID_INPUT',
      new RegExp(
        `^The model ${LLAMA.replace(/[.:]/g, '\\$&')} cannot give structured answers on Amazon Bedrock: choose`,
      ),
    );
    expect(await engine({ modelId: LLAMA }).generate(ask())).toMatchObject({ finish: 'done' });
  });

  it("passes an error thrown by the caller's onText on unchanged", async () => {
    server.answer = { text: ['One', ' two'] };
    const own = new Error('the conversation was deleted');
    await expect(
      engine().generate(
        ask({
          onText: () => {
            throw own;
          },
        }),
      ),
    ).rejects.toBe(own);
  });

  it('reports a filtered answer plainly', async () => {
    server.answer = { text: ['I cannot'], stopReason: 'guardrail_intervened' };
    await expectFailure(
      engine().generate(ask()),
      'INVALID_INPUT',
      /content filter withheld this answer: rephrase/,
    );
  });

  it('says it cannot reach Bedrock when nothing listens at the address', async () => {
    const closedPort = await freePort();
    await expectFailure(
      engine({ endpoint: `http://127.0.0.1:${closedPort}` }).generate(ask()),
      'ENGINE_UNAVAILABLE',
      new RegExp(
        `^Cannot reach Amazon Bedrock \\(127\\.0\\.0\\.1:${closedPort}\\): check the internet connection\\.$`,
      ),
    );
  });

  it('refuses settings it cannot use before sending anything', () => {
    const invalid = (overrides: Partial<BedrockLlmEngineOptions>) => () => engine(overrides);
    expect(invalid({ region: 'Frankfurt' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/not an AWS region/) }),
    );
    expect(invalid({ modelId: ' ' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(invalid({ credentials: { accessKeyId: '', secretAccessKey: 'x' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/access key id and secret/),
      }),
    );
    expect(invalid({ endpoint: 'localhost' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
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
