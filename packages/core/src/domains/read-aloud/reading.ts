import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError, type EventSink } from '../../contract/index.js';
import { speakText, type SpeakTextOptions } from '../../ai/tts/speak-text.js';
import type { Synthesizer } from '../../ai/tts/synthesizer.js';
import { encodeWav } from '../../audio/wav.js';

/** Sentences sent ahead of the one being heard: enough to never keep the student waiting. */
const SENTENCES_AHEAD = 3;

export interface ReadingRequest {
  text: string;
  synthesizer: Synthesizer;
  options: Omit<SpeakTextOptions, 'signal'>;
}

/**
 * The reading under way: its sentences go to the UI as `readAloud.sentence` events (a WAV file
 * each, as soon as it is made), and `readAloud.ended` says how it ended. One at a time: the
 * student hears one text, so starting another stops the last.
 */
export class Readings {
  private current:
    | {
        id: string;
        stop: AbortController;
        done: Promise<void>;
        /** The last sentence the player started, and a wake-up for a reading waiting on it. */
        played: number;
        wake: (() => void) | null;
      }
    | undefined;

  constructor(
    private readonly bus: EventSink,
    private readonly logger: Logger,
  ) {}

  start(request: ReadingRequest): string {
    this.current?.stop.abort();
    const id = randomUUID();
    const stop = new AbortController();
    const current: NonNullable<Readings['current']> = {
      id,
      stop,
      done: Promise.resolve(),
      played: (request.options.startAt ?? 0) - 1,
      wake: null,
    };
    this.current = current;
    current.done = this.run(id, request, stop.signal).finally(() => {
      if (this.current?.id === id) this.current = undefined;
    });
    return id;
  }

  /** The player started sentence `index` of reading `id`. */
  played(id: string, index: number): void {
    const current = this.current;
    if (current?.id !== id || index <= current.played) return;
    current.played = index;
    current.wake?.();
  }

  /** Resolves once the player is within a few sentences of `index`, or the reading is stopped. */
  private async heardUpTo(index: number, signal: AbortSignal): Promise<void> {
    const current = this.current;
    while (current && !signal.aborted && index - current.played > SENTENCES_AHEAD) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          current.wake = null;
          resolve();
        };
        current.wake = wake;
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Stops the reading `id` if it is still going (a finished one has nothing left to stop). */
  stop(id: string): void {
    if (this.current?.id === id) this.current.stop.abort();
  }

  async close(): Promise<void> {
    const current = this.current;
    current?.stop.abort();
    await current?.done;
  }

  private async run(readingId: string, { text, synthesizer, options }: ReadingRequest, signal: AbortSignal) {
    try {
      const sentences = speakText(synthesizer, text, { ...options, signal });
      for (;;) {
        const next = await sentences.next();
        if (next.done) {
          const { skipped, skippedScript } = next.value;
          const message =
            skipped > 0
              ? `${skipped} sentence${skipped === 1 ? ' was' : 's were'} left out: ${synthesizer.voice.label} cannot read ${skippedScript}.`
              : null;
          this.bus.emit('readAloud.ended', { readingId, reason: 'finished', message });
          return;
        }
        const sentence = next.value;
        this.bus.emit('readAloud.sentence', {
          readingId,
          index: sentence.index,
          count: sentence.count,
          source: sentence.source,
          text: sentence.text,
          wav: Buffer.from(
            encodeWav({ sampleRate: sentence.sampleRate, channels: [sentence.samples] }),
          ).toString('base64'),
          durationSec: sentence.samples.length / sentence.sampleRate,
          words:
            sentence.words?.map(({ source, startSec, endSec }) => ({ ...source, startSec, endSec })) ?? null,
        });
        await this.heardUpTo(sentence.index, signal);
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'CANCELLED') {
        this.bus.emit('readAloud.ended', { readingId, reason: 'stopped', message: null });
        return;
      }
      if (!(error instanceof AppError)) this.logger.error({ err: error }, 'reading aloud failed');
      this.bus.emit('readAloud.ended', {
        readingId,
        reason: 'failed',
        message:
          error instanceof AppError ? error.message : 'Reading aloud stopped because of an error in the app.',
      });
    }
  }
}
