import { AppError } from '../../../contract/index.js';
import {
  MAX_SPEED,
  MIN_SPEED,
  type SynthesizedSpeech,
  type SynthesizeOptions,
  type Synthesizer,
  type VoiceInfo,
} from '../synthesizer.js';
import type { VoiceThread } from './voice-thread.js';

/** Longer input is not one sentence: prepare it with `prepareSpeech` and stream it with `speakText`. */
export const MAX_SYNTHESIS_CHARS = 2000;

/** A voice that synthesises on its own worker thread (Piper, espeak-ng). */
export class LocalSynthesizer implements Synthesizer {
  protected constructor(
    readonly voice: VoiceInfo,
    protected readonly thread: VoiceThread,
  ) {}

  async synthesize(sentence: string, options: SynthesizeOptions = {}): Promise<SynthesizedSpeech> {
    const speed = checkSynthesisInput(sentence, options);
    return this.thread.request<SynthesizedSpeech>(
      { type: 'synthesize', text: sentence, speed },
      options.signal,
    );
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** Checks what every engine is given; returns the speed to use. */
export function checkSynthesisInput(sentence: string, options: SynthesizeOptions): number {
  if (typeof sentence !== 'string' || sentence.trim() === '') {
    throw new AppError('INVALID_INPUT', 'There is nothing to read aloud: the text is empty.');
  }
  if (sentence.length > MAX_SYNTHESIS_CHARS) {
    throw new AppError(
      'INVALID_INPUT',
      `A sentence to synthesise can have at most ${MAX_SYNTHESIS_CHARS} characters; longer text is read sentence by sentence.`,
    );
  }
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new AppError('INVALID_INPUT', `The reading speed must be from ${MIN_SPEED}x to ${MAX_SPEED}x.`);
  }
  return speed;
}
