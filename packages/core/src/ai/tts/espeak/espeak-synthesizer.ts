import { LocalSynthesizer } from '../local/local-synthesizer.js';
import { VoiceThread } from '../local/voice-thread.js';

/**
 * The espeak-ng voices offered, with espeak-ng's Klatt synthesiser (the "+klatt4" variant): a
 * speech recogniser understood it several times better than the default variant (word error rate
 * 0.54 against 0.90 with pocketsphinx's general English model on the same eight sentences).
 */
export const ESPEAK_VOICES = [
  { voice: 'en-us+klatt4', label: 'espeak-ng English (American)' },
  { voice: 'en-gb-x-rp+klatt4', label: 'espeak-ng English (British)' },
] as const;

export const DEFAULT_ESPEAK_VOICE = 'en-us+klatt4';

/** The language an espeak-ng voice speaks: "en-gb-x-rp+klatt4" speaks en-gb. */
export const espeakLanguage = (voice: string): string => voice.replace(/\+.*$/, '').replace(/-x-.*$/, '');

/**
 * espeak-ng as a voice: robotic but real, always there (nothing to download), and it gives
 * each word's timing, so the word being spoken can be highlighted.
 */
export class EspeakSynthesizer extends LocalSynthesizer {
  static async load(voice: string = DEFAULT_ESPEAK_VOICE): Promise<EspeakSynthesizer> {
    const thread = new VoiceThread({ kind: 'espeak', voice });
    const loaded = await thread.load();
    const known = ESPEAK_VOICES.find((entry) => entry.voice === voice);
    return new EspeakSynthesizer(
      {
        id: `espeak:${voice}`,
        engine: 'espeak',
        label: known?.label ?? `espeak-ng (${voice})`,
        language: espeakLanguage(voice),
        sampleRate: loaded.sampleRate,
        cloud: false,
        wordTimings: true,
      },
      thread,
    );
  }
}
