import type * as BedrockSdk from '@aws-sdk/client-bedrock-runtime';
import type {
  BedrockRuntimeClient,
  ConverseStreamCommandInput,
  ConverseStreamOutput,
  StopReason,
} from '@aws-sdk/client-bedrock-runtime';
import { AppError } from '../../../contract/index.js';
import type {
  FinishReason,
  GenerateRequest,
  GenerateResult,
  LlmEngine,
  LlmEngineInfo,
} from '../llm-engine.js';
import { CloudErrors, isNetworkFailure, retryAfterSeconds } from './cloud-errors.js';
import { CloudTokenCounter, type CloudVocabulary } from './cloud-token-counter.js';
import { conversationTurns, temperatureOf } from './conversation-turns.js';
import { generateInCloud, type AnswerEvent } from './cloud-answer.js';
import type { StructuredOutput } from './structured-output.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Only for temporary credentials (an access key id starting with ASIA). */
  sessionToken?: string;
}

export interface BedrockLlmEngineOptions {
  /** AWS region the model is enabled in, e.g. `us-east-1`. */
  region: string;
  /** A Bedrock model or inference profile id, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`. */
  modelId: string;
  /** The student's keys (read from the OS keychain by the caller; never logged). */
  credentials: AwsCredentials;
  /** Another Bedrock runtime address (tests point it at 127.0.0.1). */
  endpoint?: string;
  /** Tokens the model accepts; default {@link BEDROCK_DEFAULT_CONTEXT_TOKENS}. */
  contextTokens?: number;
  /** Name shown to the student; default "Amazon Bedrock · <modelId>". */
  label?: string;
  /** Where the bundled vocabulary for token estimates is. */
  vocabulary: CloudVocabulary;
}

/**
 * The smallest window among the chat models Converse serves today (Llama 3.1+ and Mistral
 * Large 2: 128k; Claude 3+: 200k; Nova: 300k), so the default never overfills one of them.
 */
export const BEDROCK_DEFAULT_CONTEXT_TOKENS = 128_000;

/**
 * The tool a structured answer is given through. Converse has no JSON-schema mode for every
 * model (its `outputConfig.textFormat` serves only some recent ones), so the schema becomes
 * the input schema of one tool the model is forced to call (`toolChoice: { tool }`, which
 * Bedrock documents for Anthropic Claude 3+ and Amazon Nova), and the tool input is the
 * answer. Other models refuse the forced choice with a ValidationException.
 */
const ANSWER_TOOL = 'give_answer';

/** Network silence after which a request fails instead of leaving the student waiting. */
const IDLE_TIMEOUT_MS = 60_000;

let sdk: Promise<typeof BedrockSdk> | undefined;
/** The SDK is loaded on the first request: a student who never uses the cloud never pays for it. */
const loadSdk = () => (sdk ??= import('@aws-sdk/client-bedrock-runtime'));

/** Amazon Bedrock through the Converse streaming API (AWS SDK v3), with the student's keys. */
export class BedrockLlmEngine implements LlmEngine {
  readonly info: LlmEngineInfo;
  private readonly tokens: CloudTokenCounter;
  private readonly errors: CloudErrors;
  private client: Promise<BedrockRuntimeClient> | undefined;
  private closed = false;

  /** Checks the settings; nothing is sent until `generate`. */
  constructor(private readonly options: BedrockLlmEngineOptions) {
    const { region, modelId, credentials, endpoint } = options;
    if (!/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region ?? ''))
      throw new AppError(
        'INVALID_INPUT',
        `"${region}" is not an AWS region (such as us-east-1): check it in Settings › Tutor.`,
      );
    if (!modelId?.trim())
      throw new AppError('INVALID_INPUT', 'Choose an Amazon Bedrock model in Settings › Tutor.');
    if (!credentials?.accessKeyId?.trim() || !credentials.secretAccessKey?.trim())
      throw new AppError(
        'INVALID_INPUT',
        'Enter the AWS access key id and secret access key in Settings › Tutor.',
      );
    if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint))
      throw new AppError('INVALID_INPUT', `"${endpoint}" is not a web address for Amazon Bedrock.`);
    const contextTokens = options.contextTokens ?? BEDROCK_DEFAULT_CONTEXT_TOKENS;
    if (!Number.isInteger(contextTokens) || contextTokens <= 0)
      throw new AppError('INVALID_INPUT', 'The context size must be a positive number of tokens.');

    this.info = {
      id: `bedrock:${modelId}`,
      label: options.label ?? `Amazon Bedrock · ${modelId}`,
      cloud: true,
      contextTokens,
    };
    this.tokens = new CloudTokenCounter(options.vocabulary);
    this.errors = new CloudErrors('bedrock', [credentials.secretAccessKey, credentials.sessionToken]);
  }

  countTokens(text: string): Promise<number> {
    return this.tokens.count(text);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return generateInCloud(request, {
      service: 'Amazon Bedrock',
      closed: this.closed,
      errors: this.errors,
      stream: async (structured) => {
        const { ConverseStreamCommand } = await loadSdk();
        const client = await this.connect();
        const input = this.converseInput(request, structured);
        const response = await client.send(new ConverseStreamCommand(input), { abortSignal: request.signal });
        return this.events(response.stream ?? [], structured !== undefined);
      },
      failure: (error, structured) => this.appError(error, structured),
    });
  }

  /** Converse's stream as answer events. */
  private async *events(
    stream: AsyncIterable<ConverseStreamOutput> | ConverseStreamOutput[],
    structured: boolean,
  ): AsyncIterable<AnswerEvent> {
    for await (const event of stream) {
      const usage = event.metadata?.usage;
      yield {
        text: answerPiece(event, structured),
        ...(event.messageStop ? { finish: this.finishOf(event.messageStop.stopReason) } : {}),
        ...(usage
          ? { usage: { promptTokens: usage.inputTokens ?? null, outputTokens: usage.outputTokens ?? null } }
          : {}),
      };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client) (await client.catch(() => undefined))?.destroy();
    await this.tokens.close();
  }

  private converseInput(
    request: GenerateRequest,
    structured: StructuredOutput | undefined,
  ): ConverseStreamCommandInput {
    return {
      modelId: this.options.modelId,
      // Converse rejects a blank system block, so an empty system prompt is left out.
      system: request.system.trim() ? [{ text: request.system }] : undefined,
      messages: conversationTurns(request).map((turn) => ({
        role: turn.role,
        content: [{ text: turn.text }],
      })),
      inferenceConfig: { maxTokens: request.maxTokens, temperature: temperatureOf(request) },
      toolConfig: structured && {
        tools: [
          {
            toolSpec: {
              name: ANSWER_TOOL,
              description: 'Give the answer in exactly this structure.',
              inputSchema: { json: structured.schema as Record<string, never> },
            },
          },
        ],
        toolChoice: { tool: { name: ANSWER_TOOL } },
      },
    };
  }

  private connect(): Promise<BedrockRuntimeClient> {
    this.client ??= loadSdk().then(({ BedrockRuntimeClient }) => {
      const { region, endpoint, credentials } = this.options;
      return new BedrockRuntimeClient({
        region,
        endpoint,
        // A static identity: the SDK never looks at environment variables or ~/.aws for keys.
        // Pasted keys often carry spaces; an empty session token means there is none.
        credentials: {
          accessKeyId: credentials.accessKeyId.trim(),
          secretAccessKey: credentials.secretAccessKey.trim(),
          sessionToken: credentials.sessionToken?.trim() || undefined,
        },
        // An AWS_BEARER_TOKEN_BEDROCK in the environment would otherwise win over these keys.
        authSchemePreference: ['sigv4'],
        // Nor may AWS_ENDPOINT_URL send the student's text somewhere else.
        ignoreConfiguredEndpointUrls: true,
        // No hidden retries: a throttled or failed request would be retried after a backoff of
        // up to several seconds (more with a retry-after hint) and usually fail the same way;
        // the student sees the clear error at once and can ask again.
        maxAttempts: 1,
        requestHandler: { requestTimeout: IDLE_TIMEOUT_MS, disableConcurrentStreams: true },
      });
    });
    return this.client;
  }

  private finishOf(reason: StopReason | string | undefined): FinishReason {
    switch (reason) {
      case 'max_tokens':
      case 'model_context_window_exceeded':
        return 'length';
      case 'guardrail_intervened':
      case 'content_filtered':
        throw this.errors.error(
          'INVALID_INPUT',
          "Amazon Bedrock's content filter withheld this answer: rephrase the question and try again.",
          { reason },
        );
      case 'malformed_model_output':
      case 'malformed_tool_use':
        throw this.errors.error(
          'ENGINE_UNAVAILABLE',
          `The answer from ${this.options.modelId} came back garbled: try again.`,
          {
            reason,
          },
        );
      default:
        return 'done'; // end_turn, stop_sequence, tool_use (the structured answer)
    }
  }

  /** A student-readable AppError for what the SDK threw. */
  private appError(error: unknown, structured: boolean): AppError {
    const { modelId, region } = this.options;
    const name = (error as { name?: string }).name ?? '';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const serviceMessage = (error as { message?: string }).message ?? '';
    const details = { reason: name, status };
    const fail = (
      code: Parameters<CloudErrors['error']>[0],
      message: string,
      extra: Record<string, unknown> = {},
    ) => this.errors.error(code, message, { ...details, ...extra });

    switch (name) {
      case 'UnrecognizedClientException':
      case 'InvalidSignatureException':
      case 'SignatureDoesNotMatch':
      case 'IncompleteSignatureException':
      case 'MissingAuthenticationTokenException':
      case 'InvalidClientTokenId':
        return fail('UNAUTHORIZED', 'Amazon Bedrock refused the access key: check it in Settings › Tutor.');
      case 'ExpiredTokenException':
        return fail(
          'UNAUTHORIZED',
          'The AWS session token has expired: enter fresh keys in Settings › Tutor.',
        );
      case 'AccessDeniedException':
        return fail(
          'UNAUTHORIZED',
          `Amazon Bedrock denied access to the model ${modelId}: turn on access to it in the Bedrock console (Model access) for ${region}, or use keys allowed to call it.`,
        );
      case 'ResourceNotFoundException':
        return fail(
          'NOT_FOUND',
          `Amazon Bedrock has no model ${modelId} in ${region}: check the model in Settings › Tutor.`,
        );
      case 'ValidationException':
        // "Invocation of model ID ... with on-demand throughput isn't supported ... inference profile"
        if (/inference profile/i.test(serviceMessage))
          return fail(
            'INVALID_INPUT',
            `Amazon Bedrock serves ${modelId} only through a cross-region inference profile: enter the profile id (such as us.${modelId} or eu.${modelId}) in Settings › Tutor.`,
          );
        // "The provided model identifier is invalid."
        if (/model identifier is invalid/i.test(serviceMessage))
          return fail(
            'NOT_FOUND',
            `Amazon Bedrock has no model ${modelId} in ${region}: check the model in Settings › Tutor.`,
          );
        // "This model doesn't support the toolConfig.toolChoice.tool field..."
        if (structured && /toolChoice|tool use|\btools?\b/i.test(serviceMessage))
          return fail(
            'INVALID_INPUT',
            `The model ${modelId} cannot give structured answers on Amazon Bedrock: choose an Anthropic Claude model in Settings › Tutor.`,
          );
        return fail('INVALID_INPUT', `Amazon Bedrock refused the request to ${modelId}: ${serviceMessage}`);
      case 'ThrottlingException':
      case 'ServiceQuotaExceededException':
        return this.busy(error, details);
      case 'ModelNotReadyException':
        return fail(
          'ENGINE_UNAVAILABLE',
          `The model ${modelId} is starting up on Amazon Bedrock: try again in a minute.`,
        );
      case 'ModelTimeoutException':
        return fail(
          'ENGINE_UNAVAILABLE',
          `The model ${modelId} took too long to answer: try again, or ask for a shorter answer.`,
        );
      case 'TimeoutError':
        return fail(
          'ENGINE_UNAVAILABLE',
          'Amazon Bedrock stopped answering: check the internet connection and try again.',
        );
    }
    if (status === 429) return this.busy(error, details);
    if (status === 401 || status === 403)
      return fail('UNAUTHORIZED', 'Amazon Bedrock refused the access key: check it in Settings › Tutor.');
    if (status !== undefined && status >= 400 && status < 500)
      return fail('INVALID_INPUT', `Amazon Bedrock refused the request to ${modelId}: ${serviceMessage}`);
    if (status === undefined && isNetworkFailure(error))
      return fail(
        'ENGINE_UNAVAILABLE',
        `Cannot reach Amazon Bedrock (${this.host()}): check the internet connection.`,
      );
    return fail(
      'ENGINE_UNAVAILABLE',
      'Amazon Bedrock could not answer right now: try again in a few minutes.',
    );
  }

  private busy(error: unknown, details: Record<string, unknown>): AppError {
    const headers =
      (error as { $response?: { headers?: Record<string, string | undefined> } }).$response?.headers ?? {};
    const wait = retryAfterSeconds((name) => headers[name]);
    return this.errors.error(
      'ENGINE_UNAVAILABLE',
      'Amazon Bedrock is busy (too many requests for this account right now): try again in a minute.',
      { ...details, retryAfterSeconds: wait },
    );
  }

  private host(): string {
    const { endpoint, region } = this.options;
    return endpoint ? new URL(endpoint).host : `bedrock-runtime.${region}.amazonaws.com`;
  }
}

/**
 * The answer text in one stream event: text deltas for a conversation, the forced tool's
 * input (JSON, streamed in pieces) for a structured answer. Reasoning and citation deltas
 * are not part of the answer.
 */
function answerPiece(event: ConverseStreamOutput, structured: boolean): string | undefined {
  const delta = event.contentBlockDelta?.delta;
  if (!delta) return undefined;
  return structured ? delta.toolUse?.input : delta.text;
}
