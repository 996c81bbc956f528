/**
 * Amazon Bedrock Runtime's ConverseStream on 127.0.0.1, speaking its wire format to the real
 * AWS SDK: HTTP/2 (the SDK's Node handler for this service is HTTP/2; here without TLS),
 * restJson1 requests on POST /model/{modelId}/converse-stream checked for a valid SigV4
 * signature, errors as restJson1 (status, `x-amzn-errortype`, `{"message"}`), and answers as
 * an `application/vnd.amazon.eventstream` of binary frames (prelude with lengths and CRC32,
 * `:event-type` / `:content-type` / `:message-type` headers, JSON payload, message CRC32),
 * encoded with the event-stream codec that ships inside the SDK (@smithy/core).
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { verifySigV4, type SigningSecrets } from './sigv4-verifier.js';

export interface BedrockAnswer {
  /** Text deltas, in order. */
  text?: string[];
  /** Tool input JSON pieces (a structured answer through the forced tool). */
  toolInput?: string[];
  /** Default `tool_use` after tool input, `end_turn` otherwise. */
  stopReason?: string;
  /** The metadata event's usage; default 11 in / as many out as there are deltas. */
  usage?: { inputTokens: number; outputTokens: number } | null;
  /** Sends this many deltas, then nothing more until the client goes away. */
  holdAfter?: number;
  /** An exception frame sent after the deltas instead of the end of the message. */
  exception?: { type: string; message: string };
}

export interface RecordedBedrockRequest {
  modelId: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface BedrockServerOptions {
  region: string;
  /** The one account's keys: other keys are refused as Bedrock refuses them. */
  credentials: SigningSecrets;
  /** Models the account may call. */
  models: string[];
  /** Models that exist but the account has no access to. */
  deniedModels?: string[];
  /** Models served only through a cross-region inference profile (`us.<model>`). */
  profileOnlyModels?: string[];
  /** Models that cannot be forced to use a tool (Meta Llama, for one). */
  modelsWithoutToolChoice?: string[];
}

export interface BedrockServer {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  url: string;
  /** What the next requests are answered with. */
  answer: BedrockAnswer;
  /** While set, every request is throttled (429 ThrottlingException). */
  throttle: { retryAfterSeconds?: number } | undefined;
  readonly requests: RecordedBedrockRequest[];
  /** Resolves once the client has closed the last held answer stream. */
  clientWentAway(): Promise<void>;
  close(): Promise<void>;
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

export async function startBedrockServer(options: BedrockServerOptions): Promise<BedrockServer> {
  const requests: RecordedBedrockRequest[] = [];
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  let held: Promise<void> | undefined;
  const state: Pick<BedrockServer, 'answer' | 'throttle'> = {
    answer: { text: ['Hello'] },
    throttle: undefined,
  };

  const server = createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  // A connection can close before it becomes a session (a client destroyed mid-handshake).
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      void respond(stream, headers, Buffer.concat(chunks)).catch(() => stream.destroy());
    });
  });

  async function respond(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer) {
    const [path = '', query = ''] = String(headers[':path'] ?? '').split('?');
    const verdict = verifySigV4(
      { method: String(headers[':method']), path, query, body, header: (name) => headerValue(headers, name) },
      options.credentials,
      { region: options.region, service: 'bedrock' },
    );
    if (!verdict.ok) {
      if (verdict.reason === 'bad-signature')
        return fail(
          stream,
          403,
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        );
      if (verdict.reason === 'missing')
        return fail(stream, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      return fail(
        stream,
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (state.throttle) {
      const extra: Record<string, string> =
        state.throttle.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(state.throttle.retryAfterSeconds) };
      return fail(
        stream,
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        extra,
      );
    }
    const route = /^\/model\/([^/]+)\/converse-stream$/.exec(path);
    if (headers[':method'] !== 'POST' || !route) return fail(stream, 404, 'UnknownOperationException', '');
    const modelId = decodeURIComponent(route[1]!);
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return fail(stream, 400, 'SerializationException', 'Could not parse the request body.');
    }
    requests.push({ modelId, headers, body: request });
    if (options.deniedModels?.includes(modelId))
      return fail(
        stream,
        403,
        'AccessDeniedException',
        "You don't have access to the model with the specified model ID.",
      );
    if (options.profileOnlyModels?.includes(modelId))
      return fail(
        stream,
        400,
        'ValidationException',
        `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
    if (options.modelsWithoutToolChoice?.includes(modelId) && toolChoiceOf(request))
      return fail(
        stream,
        400,
        'ValidationException',
        `This model doesn't support the toolConfig.toolChoice.${toolChoiceOf(request)} field. Remove toolConfig.toolChoice.${toolChoiceOf(request)} and try again.`,
      );
    if (!options.models.includes(modelId))
      return fail(stream, 400, 'ValidationException', 'The provided model identifier is invalid.');
    const invalid = conversationProblem(request);
    if (invalid) return fail(stream, 400, 'ValidationException', invalid);

    stream.respond({
      ':status': 200,
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': randomUUID(),
    });
    const answer = state.answer;
    const structured = answer.toolInput !== undefined;
    const pieces = structured ? answer.toolInput! : (answer.text ?? []);
    send(stream, 'messageStart', { role: 'assistant' });
    send(
      stream,
      'contentBlockStart',
      structured
        ? { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_1', name: toolName(request) } } }
        : { contentBlockIndex: 0, start: {} },
    );
    if (answer.holdAfter !== undefined)
      held = new Promise((resolve) => stream.once('close', () => resolve()));
    for (const [index, piece] of pieces.entries()) {
      if (answer.holdAfter !== undefined && index >= answer.holdAfter) return; // the client has to stop it
      const delta = structured ? { toolUse: { input: piece } } : { text: piece };
      send(stream, 'contentBlockDelta', { contentBlockIndex: 0, delta });
      await new Promise((resolve) => setImmediate(resolve)); // separate DATA frames, as a model streams
    }
    if (answer.exception) {
      const { type, message } = answer.exception;
      stream.end(frame({ ':exception-type': type, ':message-type': 'exception' }, { message }));
      return;
    }
    send(stream, 'contentBlockStop', { contentBlockIndex: 0 });
    send(stream, 'messageStop', { stopReason: answer.stopReason ?? (structured ? 'tool_use' : 'end_turn') });
    const usage =
      answer.usage === undefined ? { inputTokens: 11, outputTokens: pieces.length } : answer.usage;
    if (usage)
      send(stream, 'metadata', {
        usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
        metrics: { latencyMs: 42 },
      });
    stream.end();
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
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** A restJson1 error, shaped as Bedrock sends it. */
function fail(
  stream: ServerHttp2Stream,
  status: number,
  type: string,
  message: string,
  extra: Record<string, string> = {},
) {
  stream.respond({
    ':status': status,
    'content-type': 'application/json',
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': randomUUID(),
    ...extra,
  });
  stream.end(JSON.stringify({ message }));
}

function send(stream: ServerHttp2Stream, eventType: string, payload: Record<string, unknown>) {
  stream.write(frame({ ':event-type': eventType, ':message-type': 'event' }, payload));
}

/**
 * One event-stream message. Bedrock pads every event payload with a `p` field of random
 * length so sizes do not reveal the text; clients must ignore it, so it is sent here too.
 */
function frame(headers: Record<string, string>, payload: Record<string, unknown>): Uint8Array {
  const padded = { ...payload, p: 'abcdefghijklmnopqrstuvwxyz'.slice(0, 1 + Math.floor(Math.random() * 26)) };
  const all: Record<string, { type: 'string'; value: string }> = {};
  for (const [name, value] of Object.entries({ ...headers, ':content-type': 'application/json' }))
    all[name] = { type: 'string', value };
  return codec.encode({ headers: all, body: Buffer.from(JSON.stringify(padded), 'utf8') });
}

function toolChoiceOf(request: Record<string, unknown>): string | undefined {
  const choice = (request.toolConfig as { toolChoice?: Record<string, unknown> } | undefined)?.toolChoice;
  return choice ? Object.keys(choice)[0] : undefined;
}

function toolName(request: Record<string, unknown>): string {
  const choice = (request.toolConfig as { toolChoice?: { tool?: { name?: string } } } | undefined)
    ?.toolChoice;
  return choice?.tool?.name ?? 'tool';
}

/** The checks Converse makes on a conversation, with its messages. */
function conversationProblem(request: Record<string, unknown>): string | undefined {
  const messages = request.messages as { role: string; content: { text?: string }[] }[] | undefined;
  if (!Array.isArray(messages) || messages.length === 0)
    return 'A conversation must start with a user message.';
  if (messages[0]!.role !== 'user')
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  for (const [index, message] of messages.entries()) {
    if (index > 0 && messages[index - 1]!.role === message.role)
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    if (message.content.some((block) => block.text !== undefined && !block.text.trim()))
      return (
        'The text field in the ContentBlock object at messages.' +
        index +
        '.content.0 is blank. Add text to the text field, and try again.'
      );
  }
  const system = request.system as { text?: string }[] | undefined;
  if (system?.some((block) => block.text !== undefined && !block.text.trim()))
    return 'The text field in the SystemContentBlock object is blank. Add text to the text field, and try again.';
  return undefined;
}
