import {
  checkSynthesisInput,
  type SynthesizedSpeech,
  type SynthesizeOptions,
  type Synthesizer,
  type VoiceInfo,
} from '../synthesizer.js';
import type { VoiceThread } from './voice-thread.js';

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
