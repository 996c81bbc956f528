/**
 * Azure OpenAI's chat completions on 127.0.0.1, speaking its wire format to the real openai SDK:
 * POST /openai/deployments/{deployment}/chat/completions?api-version=..., the key in the
 * `api-key` header, errors as `{"error": {"code", "message", ...}}` (401 for a wrong key, 404
 * DeploymentNotFound, 429 with `retry-after`), and a streamed answer as server-sent events:
 * `data: {chunk}\n\n` lines (Azure's first chunk has no choices, only prompt filter results),
 * the finish reason, a usage chunk when `stream_options.include_usage` is set, `data: [DONE]`.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface AzureAnswer {
  /** Content deltas, in order. */
  text?: string[];
  /** Default `stop`. */
  finishReason?: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** Sends this many deltas, then nothing more until the client goes away. */
  holdAfter?: number;
}

export interface RecordedAzureRequest {
  deployment: string;
  apiVersion: string | null;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface AzureServerOptions {
  apiKey: string;
  deployments: string[];
  /** Deployments of reasoning models, which accept only their default temperature. */
  reasoningDeployments?: string[];
}

export interface AzureOpenAiServer {
  /** `http://127.0.0.1:<port>`, the resource endpoint. */
  url: string;
  answer: AzureAnswer;
  /** While set, every request is rate limited (429). */
  throttle: { retryAfterSeconds: number } | undefined;
  readonly requests: RecordedAzureRequest[];
  /** Resolves once the client has closed the last held answer stream. */
  clientWentAway(): Promise<void>;
  close(): Promise<void>;
}

export async function startAzureOpenAiServer(options: AzureServerOptions): Promise<AzureOpenAiServer> {
  const requests: RecordedAzureRequest[] = [];
  const sockets = new Set<Socket>();
  const state: Pick<AzureOpenAiServer, 'answer' | 'throttle'> = {
    answer: { text: ['Hello'] },
    throttle: undefined,
  };
  let held: Promise<void> | undefined;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.headers['api-key'] !== options.apiKey)
        return fail(response, 401, {
          code: '401',
          message:
            'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        });
      if (state.throttle)
        return fail(
          response,
          429,
          {
            code: '429',
            message: `Requests to the ChatCompletions_Create Operation have exceeded the token rate limit of your current pricing tier. Please retry after ${state.throttle.retryAfterSeconds} seconds.`,
          },
          { 'retry-after': String(state.throttle.retryAfterSeconds) },
        );
      const route = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
      const apiVersion = url.searchParams.get('api-version');
      if (request.method !== 'POST' || !route || !apiVersion)
        return fail(response, 404, { code: '404', message: 'Resource not found' });
      const deployment = decodeURIComponent(route[1]!);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return fail(response, 400, { code: 'BadRequest', message: 'The request body is not valid JSON.' });
      }
      requests.push({ deployment, apiVersion, headers: request.headers, body });
      if (!options.deployments.includes(deployment))
        return fail(response, 404, {
          code: 'DeploymentNotFound',
          message:
            'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        });
      if (
        options.reasoningDeployments?.includes(deployment) &&
        body.temperature !== undefined &&
        body.temperature !== 1
      )
        return fail(response, 400, {
          message: `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`,
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_value',
        });
      void stream(response, body, state.answer).catch(() => response.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function stream(response: ServerResponse, body: Record<string, unknown>, answer: AzureAnswer) {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'apim-request-id': 'test',
    });
    const base = {
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
    };
    const send = (chunk: Record<string, unknown>) => response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    send({
      id: '',
      object: '',
      created: 0,
      model: '',
      choices: [],
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
    });
    send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const pieces = answer.text ?? [];
    if (answer.holdAfter !== undefined)
      held = new Promise((resolve) => response.once('close', () => resolve()));
    for (const [index, piece] of pieces.entries()) {
      if (answer.holdAfter !== undefined && index >= answer.holdAfter) return; // the client has to stop it
      send({
        ...base,
        choices: [{ index: 0, delta: { content: piece }, finish_reason: null, content_filter_results: {} }],
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason ?? 'stop' }] });
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      const usage = answer.usage ?? { promptTokens: 11, completionTokens: pieces.length };
      send({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.promptTokens + usage.completionTokens,
        },
      });
    }
    response.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get answer() {
      return state.answer;
    },
    set answer(value) {
      state.answer = value;
    },
    get throttle() {
      return state.throttle;
    },
    set throttle(value) {
      state.throttle = value;
    },
    requests,
    clientWentAway: () => held ?? Promise.reject(new Error('No answer stream was held open.')),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function fail(
  response: ServerResponse,
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', 'apim-request-id': 'test', ...headers });
  response.end(JSON.stringify({ error }));
}
