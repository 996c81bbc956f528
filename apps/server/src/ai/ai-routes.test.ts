import { aiModelsSchema, aiQuotaSchema, generateThroughAccount, type AiEvent } from '@little-monster/sync';
import {
  startAzureOpenAiServer,
  startBedrockServer,
  type AzureOpenAiServer,
  type BedrockServer,
} from '@little-monster/core/cloud-llm/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerVerified, signIn, type Session } from '../test-support/devices.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

const REGION = 'eu-west-1';
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SERVER_KEYS = {
  accessKeyId: 'AKIAIOSFODNN7SERVER01',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSERVERKEY',
};
const AZURE_KEY = 'azure-server-held-key-0123456789abcdef';

let bedrock: BedrockServer;
let azure: AzureOpenAiServer;
let server: TestServer;
let student: Session;

beforeAll(async () => {
  bedrock = await startBedrockServer({ region: REGION, credentials: SERVER_KEYS, models: [MODEL] });
  azure = await startAzureOpenAiServer({ apiKey: AZURE_KEY, deployments: ['gpt-4o-mini'] });
  server = await startTestServer({
    config: {
      bedrock: { region: REGION, ...SERVER_KEYS, models: [MODEL], endpoint: bedrock.url },
      azureOpenAi: { endpoint: azure.url, apiKey: AZURE_KEY, deployments: ['gpt-4o-mini'] },
      aiRequestsPerMinute: 6,
      aiDailyTokens: 1000,
    },
  });
  student = await signIn(server, await registerVerified(server));
});
afterEach(() => {
  bedrock.answer = { text: ['Hello'] };
  bedrock.throttle = undefined;
  azure.answer = { text: ['Hello'] };
});
afterAll(async () => {
  await server?.close();
  await Promise.all([bedrock?.close(), azure?.close()]);
});

async function ask(session: Session, model: string, signal?: AbortSignal): Promise<AiEvent[]> {
  const events: AiEvent[] = [];
  for await (const event of generateThroughAccount(
    session.api,
    { model, system: 'You are a tutor.', history: [], prompt: 'What is osmosis?', maxTokens: 100 },
    signal,
  ))
    events.push(event);
  return events;
}

describe('cloud AI through the account', () => {
  it("offers the server's models without revealing its keys", async () => {
    const response = await student.api.send('GET', '/v1/ai/models');
    const text = await response.text();
    expect(aiModelsSchema.parse(JSON.parse(text)).models.map((model) => model.id)).toEqual([
      `bedrock:${MODEL}`,
      'azure:gpt-4o-mini',
    ]);
    for (const secret of [SERVER_KEYS.secretAccessKey, SERVER_KEYS.accessKeyId, AZURE_KEY])
      expect(text).not.toContain(secret);
  });

  it("streams an answer from Bedrock with the server's signed request, and counts it against the allowance", async () => {
    bedrock.answer = {
      text: ['Water moves ', 'across a membrane.'],
      usage: { inputTokens: 30, outputTokens: 8 },
    };
    const events = await ask(student, `bedrock:${MODEL}`);
    expect(events).toEqual([
      { type: 'text', text: 'Water moves ' },
      { type: 'text', text: 'across a membrane.' },
      { type: 'done', finish: 'done', usage: { promptTokens: 30, outputTokens: 8 } },
    ]);
    expect(String(bedrock.requests.at(-1)!.headers.authorization)).toContain(SERVER_KEYS.accessKeyId);
    const quota = await student.api.json('GET', '/v1/ai/quota', aiQuotaSchema);
    expect(quota).toMatchObject({ usedTokens: 38, limitTokens: 1000 });
  });

  it('streams an answer from Azure OpenAI', async () => {
    azure.answer = { text: ['Diffusion ', 'of water.'] };
    const events = await ask(student, 'azure:gpt-4o-mini');
    expect(
      events
        .filter((event) => event.type === 'text')
        .map((event) => (event as { text: string }).text)
        .join(''),
    ).toBe('Diffusion of water.');
    expect(events.at(-1)).toMatchObject({ type: 'done', finish: 'done' });
    expect(azure.requests.at(-1)!.headers['api-key']).toBe(AZURE_KEY);
  });

  it("passes on a busy service as such, and hides problems with the server's own setup", async () => {
    bedrock.throttle = { retryAfterSeconds: 3 };
    expect((await ask(student, `bedrock:${MODEL}`)).at(-1)).toMatchObject({
      type: 'error',
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringMatching(/busy/),
    });
    const misconfigured = await startTestServer({
      config: {
        bedrock: {
          region: REGION,
          accessKeyId: 'AKIAWRONGKEY00000000',
          secretAccessKey: 'wrong-secret-key-value',
          models: [MODEL],
          endpoint: bedrock.url,
        },
      },
    });
    try {
      const session = await signIn(misconfigured, await registerVerified(misconfigured));
      const last = (await ask(session, `bedrock:${MODEL}`)).at(-1);
      expect(last).toEqual({
        type: 'error',
        code: 'CLOUD_AI_UNAVAILABLE',
        message: "The server's cloud AI is not available right now; try again later, or use a local model.",
      });
    } finally {
      await misconfigured.close();
    }
  });

  it('stops the model when the student stops reading', async () => {
    azure.answer = { text: ['one ', 'two ', 'three ', 'four'], holdAfter: 1 };
    const stop = new AbortController();
    const events: AiEvent[] = [];
    await (async () => {
      for await (const event of generateThroughAccount(
        student.api,
        { model: 'azure:gpt-4o-mini', system: '', history: [], prompt: 'Count', maxTokens: 10 },
        stop.signal,
      )) {
        events.push(event);
        stop.abort();
      }
    })().catch(() => {});
    // The server closed its own request to Azure: the model stopped writing.
    await azure.clientWentAway();
    expect(events).toEqual([{ type: 'text', text: 'one ' }]);
  });

  it('refuses unknown models, and requests beyond the per-minute limit and the daily allowance', async () => {
    await expect(ask(student, 'bedrock:some-other-model')).rejects.toMatchObject({ status: 404 });
    const limited = await signIn(server, await registerVerified(server));
    const statuses: number[] = [];
    for (let request = 0; request < 7; request++)
      statuses.push(
        await ask(limited, 'azure:gpt-4o-mini').then(
          () => 200,
          (error: { status: number }) => error.status,
        ),
      );
    expect(statuses.slice(0, 6).every((status) => status === 200)).toBe(true);
    expect(statuses[6]).toBe(429);

    const heavy = await signIn(server, await registerVerified(server));
    azure.answer = { text: ['long answer'], usage: { promptTokens: 900, completionTokens: 200 } };
    await ask(heavy, 'azure:gpt-4o-mini');
    await expect(ask(heavy, 'azure:gpt-4o-mini')).rejects.toMatchObject({
      status: 429,
      code: 'AI_QUOTA_EXCEEDED',
      message: expect.stringMatching(/renews at midnight UTC/),
    });
  });
});
