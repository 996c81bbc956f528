import { AppError } from '../../../contract/index.js';
import type { FinishReason, GenerateRequest, GenerateResult } from '../llm-engine.js';
import type { CloudErrors } from './cloud-errors.js';
import { structuredOutput, type StructuredOutput } from './structured-output.js';

/** One event of a cloud service's stream, as its engine reads it: a piece of text, how it ended, what it used. */
export interface AnswerEvent {
  text?: string | null | undefined;
  finish?: FinishReason;
  usage?: GenerateResult['usage'];
}

export interface CloudAnswerOptions {
  /** The service as the student knows it ("Amazon Bedrock"). */
  service: string;
  /** The engine was closed: nothing more is sent. */
  closed: boolean;
  errors: CloudErrors;
  /** Sends the request and reads the service's stream as answer events (they may throw an AppError). */
  stream(structured: StructuredOutput | undefined): Promise<AsyncIterable<AnswerEvent>>;
  /** What the service's SDK threw, as an error the student can act on. */
  failure(error: unknown, structured: boolean): AppError | Promise<AppError>;
}

/**
 * The request loop every cloud engine shares: the answer is streamed to `onText` as it arrives;
 * stopping gives what arrived so far as a stopped result (whatever the closed connection raises
 * is the stop, not a failure); anything else the SDK throws becomes the engine's own error; a
 * stream that ends without saying it finished is an error, never a truncated answer.
 */
export async function generateInCloud(
  request: GenerateRequest,
  options: CloudAnswerOptions,
): Promise<GenerateResult> {
  if (!Number.isInteger(request.maxTokens) || request.maxTokens <= 0)
    throw new AppError('INVALID_INPUT', 'The answer length must be a positive number of tokens.');
  if (options.closed)
    throw new AppError('ENGINE_UNAVAILABLE', `This ${options.service} connection was closed.`);
  const { signal } = request;
  if (signal?.aborted)
    return { text: '', finish: 'stopped', usage: { promptTokens: null, outputTokens: null } };

  const structured = request.jsonSchema ? structuredOutput(request.jsonSchema) : undefined;
  const answer = new StreamedAnswer(request, structured);
  try {
    for await (const event of await options.stream(structured)) {
      if (signal?.aborted) break;
      answer.add(event.text);
      if (event.finish) answer.finish = event.finish;
      if (event.usage) answer.usage = event.usage;
    }
  } catch (error) {
    if (signal?.aborted) return answer.stopped();
    if (error instanceof AppError || answer.callerFailed) throw error;
    throw await options.failure(error, structured !== undefined);
  }
  // An SDK may end the iteration quietly when the signal aborts it.
  if (signal?.aborted) return answer.stopped();
  const result = answer.complete();
  if (!result)
    throw options.errors.error(
      'ENGINE_UNAVAILABLE',
      `The answer from ${options.service} was cut off before it finished: check the internet connection and try again.`,
    );
  return result;
}

/**
 * An answer arriving in pieces from a cloud service. The caller is given each piece through
 * `onText` as it comes (a wrapped structured answer only once, unwrapped, at the end), and the
 * result text is always exactly what the caller was given.
 */
class StreamedAnswer {
  finish: FinishReason | undefined;
  usage: GenerateResult['usage'] = { promptTokens: null, outputTokens: null };
  /** True when `onText` threw: that error is the caller's own and passes on unchanged. */
  callerFailed = false;
  private raw = '';
  private given = '';

  constructor(
    private readonly request: Pick<GenerateRequest, 'onText'>,
    private readonly structured: StructuredOutput | undefined,
  ) {}

  add(piece: string | undefined | null): void {
    if (!piece) return;
    this.raw += piece;
    if (this.structured?.wrapped) return;
    this.given += piece;
    this.deliver(piece);
  }

  /** What came before the student stopped it: a result, not an error. */
  stopped(): GenerateResult {
    return { text: this.given, finish: 'stopped', usage: this.usage };
  }

  /** The whole answer, or undefined when the stream ended without saying it was finished. */
  complete(): GenerateResult | undefined {
    if (!this.finish) return undefined;
    if (this.structured?.wrapped) {
      this.given = this.structured.unwrap(this.raw);
      this.deliver(this.given);
    }
    return { text: this.given, finish: this.finish, usage: this.usage };
  }

  private deliver(text: string): void {
    try {
      this.request.onText?.(text);
    } catch (error) {
      this.callerFailed = true;
      throw error;
    }
  }
}
