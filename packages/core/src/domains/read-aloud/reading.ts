import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError, type EventSink } from '../../contract/index.js';
import { speakText, type SpeakTextOptions } from '../../ai/tts/speak-text.js';
import type { Synthesizer } from '../../ai/tts/synthesizer.js';
import { encodeWav } from '../../audio/wav.js';

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
  private current: { id: string; stop: AbortController; done: Promise<void> } | undefined;

  constructor(
    private readonly bus: EventSink,
    private readonly logger: Logger,
  ) {}

  start(request: ReadingRequest): string {
    this.current?.stop.abort();
    const id = randomUUID();
    const stop = new AbortController();
    const done = this.run(id, request, stop.signal).finally(() => {
      if (this.current?.id === id) this.current = undefined;
    });
    this.current = { id, stop, done };
    return id;
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
