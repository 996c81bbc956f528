import type { FinishReason, GenerateRequest, GenerateResult } from '../llm-engine.js';
import type { StructuredOutput } from './structured-output.js';

/**
 * An answer arriving in pieces from a cloud service. The caller is given each piece through
 * `onText` as it comes (a wrapped structured answer only once, unwrapped, at the end), and the
 * result text is always exactly what the caller was given.
 */
export class StreamedAnswer {
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

/** Stopped before anything was sent. */
export function stoppedBeforeStart(): GenerateResult {
  return { text: '', finish: 'stopped', usage: { promptTokens: null, outputTokens: null } };
}
