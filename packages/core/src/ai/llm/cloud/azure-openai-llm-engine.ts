import type * as OpenAiSdk from 'openai';
import type { AzureOpenAI } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
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

export interface AzureOpenAiLlmEngineOptions {
  /** The resource's address, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: string;
  /** The deployment name chosen in the Azure portal. */
  deployment: string;
  /** The student's key (read from the OS keychain by the caller; never logged). */
  apiKey: string;
  /** A dated API version, 2024-09-01 or later; default {@link AZURE_DEFAULT_API_VERSION}. */
  apiVersion?: string;
  /** Tokens the deployment accepts; default {@link AZURE_DEFAULT_CONTEXT_TOKENS}. */
  contextTokens?: number;
  /** Name shown to the student; default "Azure OpenAI · <deployment>". */
  label?: string;
  /** Where the bundled vocabulary for token estimates is. */
  vocabulary: CloudVocabulary;
}

/**
 * The newest generally available dated version of the data-plane inference API. Its spec
 * (azure-rest-api-specs, inference/stable/2024-10-21) has everything used here: streaming with
 * `stream_options.include_usage`, `response_format: json_schema` and `max_completion_tokens`.
 */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';
/** `max_completion_tokens` and `stream_options` arrived in 2024-09-01-preview. */
const OLDEST_API_VERSION = '2024-09-01';
/** The window of the gpt-4o family, the usual chat deployments (gpt-4.1: 1M; o-series: 200k). */
export const AZURE_DEFAULT_CONTEXT_TOKENS = 128_000;
/** Time to wait for the service to start answering. */
const RESPONSE_TIMEOUT_MS = 60_000;

let sdk: Promise<typeof OpenAiSdk> | undefined;
/** The SDK is loaded on the first request: a student who never uses the cloud never pays for it. */
const loadSdk = () => (sdk ??= import('openai'));

/** Azure OpenAI chat completions through the openai SDK's Azure client, with the student's key. */
export class AzureOpenAiLlmEngine implements LlmEngine {
  readonly info: LlmEngineInfo;
  private readonly tokens: CloudTokenCounter;
  private readonly errors: CloudErrors;
  private readonly endpoint: string;
  private readonly apiVersion: string;
  private client: Promise<AzureOpenAI> | undefined;
  /** Reasoning deployments (o-series, gpt-5) accept only their default temperature. */
  private fixedTemperature = false;
  private closed = false;

  /** Checks the settings; nothing is sent until `generate`. */
  constructor(private readonly options: AzureOpenAiLlmEngineOptions) {
    const { deployment, apiKey } = options;
    this.endpoint = (options.endpoint ?? '').trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^/\s]+/.test(this.endpoint))
      throw new AppError(
        'INVALID_INPUT',
        `"${options.endpoint}" is not an Azure OpenAI endpoint (such as https://my-resource.openai.azure.com): check it in Settings › Tutor.`,
      );
    if (!deployment?.trim())
      throw new AppError('INVALID_INPUT', 'Enter the Azure OpenAI deployment name in Settings › Tutor.');
    if (!apiKey?.trim())
      throw new AppError('INVALID_INPUT', 'Enter the Azure OpenAI key in Settings › Tutor.');
    this.apiVersion = options.apiVersion?.trim() || AZURE_DEFAULT_API_VERSION;
    const date = /^(\d{4}-\d{2}-\d{2})(-preview)?$/.exec(this.apiVersion)?.[1];
    if (!date || date < OLDEST_API_VERSION)
      throw new AppError(
        'INVALID_INPUT',
        `Azure OpenAI API version "${this.apiVersion}" is not supported: use ${AZURE_DEFAULT_API_VERSION} or newer.`,
      );
    const contextTokens = options.contextTokens ?? AZURE_DEFAULT_CONTEXT_TOKENS;
    if (!Number.isInteger(contextTokens) || contextTokens <= 0)
      throw new AppError('INVALID_INPUT', 'The context size must be a positive number of tokens.');

    this.info = {
      id: `azure:${deployment}`,
      label: options.label ?? `Azure OpenAI · ${deployment}`,
      cloud: true,
      contextTokens,
    };
    this.tokens = new CloudTokenCounter(options.vocabulary);
    this.errors = new CloudErrors('azure-openai', [apiKey]);
  }

  countTokens(text: string): Promise<number> {
    return this.tokens.count(text);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return generateInCloud(request, {
      service: 'Azure OpenAI',
      closed: this.closed,
      errors: this.errors,
      stream: async (structured) => this.events(await this.start(await this.connect(), request, structured)),
      failure: (error) => this.appError(error),
    });
  }

  /** The completion's chunks as answer events; with include_usage, the last chunk carries the counts and no choices. */
  private async *events(stream: AsyncIterable<ChatCompletionChunk>): AsyncIterable<AnswerEvent> {
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      yield {
        text: choice?.delta?.content,
        ...(choice?.finish_reason ? { finish: this.finishOf(choice.finish_reason) } : {}),
        ...(chunk.usage
          ? {
              usage: {
                promptTokens: chunk.usage.prompt_tokens ?? null,
                outputTokens: chunk.usage.completion_tokens ?? null,
              },
            }
          : {}),
      };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client = undefined; // fetch-based: nothing stays open between requests
    await this.tokens.close();
  }

  /** Starts the streamed completion, again without a temperature if the deployment refuses one. */
  private async start(
    client: AzureOpenAI,
    request: GenerateRequest,
    structured: StructuredOutput | undefined,
  ) {
    try {
      return await client.chat.completions.create(this.body(request, structured), { signal: request.signal });
    } catch (error) {
      const refused = error as { status?: number; param?: string | null };
      if (this.fixedTemperature || refused.status !== 400 || refused.param !== 'temperature') throw error;
      this.fixedTemperature = true;
      return await client.chat.completions.create(this.body(request, structured), { signal: request.signal });
    }
  }

  private body(
    request: GenerateRequest,
    structured: StructuredOutput | undefined,
  ): ChatCompletionCreateParamsStreaming {
    const messages: ChatCompletionMessageParam[] = [];
    if (request.system.trim()) messages.push({ role: 'system', content: request.system });
    for (const turn of conversationTurns(request)) messages.push({ role: turn.role, content: turn.text });
    return {
      // The deployment in the URL picks the model; the field is required by the SDK's types.
      model: this.options.deployment,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      // max_tokens is deprecated since 2024-09-01-preview and refused by reasoning models
      // (o-series, gpt-5); max_completion_tokens is accepted by every model from that version.
      max_completion_tokens: request.maxTokens,
      ...(this.fixedTemperature ? {} : { temperature: temperatureOf(request) }),
      ...(structured && {
        response_format: {
          type: 'json_schema' as const,
          json_schema: { name: 'answer', schema: structured.schema, strict: true },
        },
      }),
    };
  }

  private connect(): Promise<AzureOpenAI> {
    this.client ??= loadSdk().then(
      ({ AzureOpenAI }) =>
        new AzureOpenAI({
          // baseURL rather than `endpoint`: the client reads OPENAI_BASE_URL from the environment
          // when baseURL is absent, and refuses to start when both are set.
          baseURL: `${this.endpoint}/openai`,
          deployment: this.options.deployment,
          apiKey: this.options.apiKey.trim(), // pasted keys often carry spaces
          apiVersion: this.apiVersion,
          // Otherwise read from the environment and sent along (OpenAI account ids, not Azure's).
          organization: null,
          project: null,
          adminAPIKey: null,
          webhookSecret: null,
          // Errors are reported through AppError; the SDK's own console output is not wanted.
          logLevel: 'off',
          // No hidden retries: the SDK would wait out a 429's retry-after (up to a minute) or
          // back off up to 8 s before failing the same way; the student sees the clear error at
          // once and can ask again.
          maxRetries: 0,
          timeout: RESPONSE_TIMEOUT_MS,
        }),
    );
    return this.client;
  }

  private finishOf(reason: ChatCompletionChunk.Choice['finish_reason'] | string): FinishReason {
    switch (reason) {
      case 'length':
        return 'length';
      case 'content_filter':
        throw this.errors.error(
          'INVALID_INPUT',
          "Azure OpenAI's content filter withheld this answer: rephrase the question and try again.",
          { reason },
        );
      default:
        return 'done'; // stop (tool_calls and function_call are not requested)
    }
  }

  /** A student-readable AppError for what the SDK threw. */
  private async appError(error: unknown): Promise<AppError> {
    const { APIConnectionTimeoutError, APIConnectionError, APIError } = await loadSdk();
    const { deployment } = this.options;
    const host = new URL(this.endpoint).host;
    if (error instanceof APIConnectionTimeoutError)
      return this.errors.error(
        'ENGINE_UNAVAILABLE',
        `Azure OpenAI (${host}) did not answer in time: try again in a few minutes.`,
      );
    if (error instanceof APIConnectionError || (!(error instanceof APIError) && isNetworkFailure(error)))
      return this.errors.error(
        'ENGINE_UNAVAILABLE',
        `Cannot reach Azure OpenAI (${host}): check the internet connection and the endpoint in Settings › Tutor.`,
      );
    if (!(error instanceof APIError))
      return this.errors.error(
        'ENGINE_UNAVAILABLE',
        'Azure OpenAI could not answer right now: try again in a few minutes.',
      );

    const status = error.status;
    const code = typeof error.code === 'string' ? error.code : undefined;
    const serviceMessage = (error.error as { message?: string } | undefined)?.message ?? error.message;
    const details = { reason: code, status };
    if (status === 401)
      return this.errors.error(
        'UNAUTHORIZED',
        'Azure OpenAI refused the key: check it in Settings › Tutor.',
        details,
      );
    if (status === 403)
      return this.errors.error(
        'UNAUTHORIZED',
        `Azure OpenAI refused access to the deployment ${deployment}: check the key and the resource's network settings.`,
        details,
      );
    if (status === 404)
      return code === 'DeploymentNotFound'
        ? this.errors.error(
            'NOT_FOUND',
            `Azure OpenAI has no deployment named ${deployment} at ${host}: check the deployment name in Settings › Tutor.`,
            details,
          )
        : this.errors.error(
            'NOT_FOUND',
            `Azure OpenAI found nothing at ${host} for API version ${this.apiVersion}: check the endpoint in Settings › Tutor.`,
            details,
          );
    if (status === 429)
      return this.errors.error(
        'ENGINE_UNAVAILABLE',
        'Azure OpenAI is busy (the deployment is over its rate limit): try again in a minute.',
        { ...details, retryAfterSeconds: retryAfterSeconds((name) => error.headers?.get(name)) },
      );
    if (code === 'content_filter')
      return this.errors.error(
        'INVALID_INPUT',
        "Azure OpenAI's content filter refused this question: rephrase it and try again.",
        details,
      );
    if (status !== undefined && status >= 400 && status < 500)
      return this.errors.error(
        'INVALID_INPUT',
        `Azure OpenAI refused the request to ${deployment}: ${serviceMessage}`,
        details,
      );
    return this.errors.error(
      'ENGINE_UNAVAILABLE',
      'Azure OpenAI could not answer right now: try again in a few minutes.',
      details,
    );
  }
}
