/**
 * espeak-ng compiled to WebAssembly (@echogarden/espeak-ng-emscripten, GPL-3.0): the same
 * program on every platform, with its language data inside the package, so it works with nothing
 * downloaded. It is both a voice (robotic, but always there) and the phonemizer Piper voices
 * were trained with. Synchronous and CPU-bound: it runs only on a voice worker thread.
 */
import createEspeak, { type EspeakModule, type EspeakWorker } from '@echogarden/espeak-ng-emscripten';
import { AppError } from '../../../contract/errors.js';

export const ESPEAK_SAMPLE_RATE = 22050;
/** espeak-ng's normal speaking rate, words per minute; it accepts 80 to 450. */
const NORMAL_RATE = 175;
const MIN_RATE = 80;
const MAX_RATE = 450;

/** A word of the text given and when it is spoken (offsets are UTF-16, like JavaScript strings). */
export interface TimedWord {
  start: number;
  end: number;
  startSec: number;
  endSec: number;
}

export interface EspeakSpeech {
  samples: Float32Array;
  words: TimedWord[];
}

/**
 * With SSML and `[[phoneme]]` input switched on in the glue, these would be read as markup:
 * each becomes a space, so offsets in the text stay those of the caller's text.
 */
const MARKUP = /[<>&[\]]/g;

export class EspeakNg {
  private voice: string | null = null;

  private constructor(
    private readonly module: EspeakModule,
    private readonly engine: EspeakWorker,
  ) {}

  static async load(): Promise<EspeakNg> {
    const module = await createEspeak();
    return new EspeakNg(module, new module.eSpeakNGWorker());
  }

  /** Selects an espeak-ng voice by name ("en-us", "en-gb-x-rp", "fr"). */
  useVoice(name: string): void {
    if (this.voice === name) return;
    if (this.engine.set_voice(name) !== 0) {
      throw new AppError('INVALID_INPUT', `espeak-ng has no voice named "${name}".`, { voice: name });
    }
    this.voice = name;
  }

  /**
   * IPA phonemes for `text` as espeak-ng's espeak_TextToPhonemes gives them (what Piper voices
   * are trained on): phonemes of a word run together, words separated by spaces.
   */
  phonemes(text: string): string {
    const result = this.engine.convert_to_phonemes(text.replace(MARKUP, ' '), true);
    try {
      // The glue separates phonemes with "_" and clauses with " | ".
      return this.readString(result.ptr).replace(/ \| /g, ' ').replace(/_/g, '');
    } finally {
      this.module._free(result.ptr);
    }
  }

  /** Speech for `text` at `speed` (1 = normal), with each word's time. */
  speak(text: string, speed: number): EspeakSpeech {
    this.engine.rate = Math.round(Math.min(MAX_RATE, Math.max(MIN_RATE, NORMAL_RATE * speed)));
    const chunks: Int16Array[] = [];
    const marks: { position: number; length: number; ms: number }[] = [];
    const clauseEnds: number[] = [];
    this.engine.synthesize(text.replace(MARKUP, ' '), (samples, events) => {
      if (samples.length > 0) chunks.push(samples);
      for (const event of events) {
        if (event.type === 'word')
          marks.push({ position: event.text_position, length: event.word_length, ms: event.audio_position });
        else if (event.type === 'end') clauseEnds.push(event.audio_position / 1000);
      }
      return false; // go on
    });
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const samples = new Float32Array(total);
    let at = 0;
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.length; i++) samples[at + i] = chunk[i]! / 32768;
      at += chunk.length;
    }
    return { samples, words: timeWords(text, marks, clauseEnds, total / ESPEAK_SAMPLE_RATE) };
  }

  private readString(pointer: number): string {
    const heap = this.module.HEAPU8;
    let end = pointer;
    while (heap[end] !== 0) end++;
    return Buffer.from(heap.subarray(pointer, end)).toString('utf8');
  }
}

/**
 * espeak-ng's word events (1-based code point positions, start times) as UTF-16 ranges of `text`
 * with start and end times: a word ends where the next begins or its clause ends.
 */
function timeWords(
  text: string,
  marks: { position: number; length: number; ms: number }[],
  clauseEnds: number[],
  durationSec: number,
): TimedWord[] {
  const utf16At: number[] = [];
  let offset = 0;
  for (const character of text) {
    utf16At.push(offset);
    offset += character.length;
  }
  utf16At.push(offset);
  const words: TimedWord[] = [];
  marks.forEach((mark, index) => {
    const startSec = mark.ms / 1000;
    const nextStart = marks[index + 1] ? marks[index + 1]!.ms / 1000 : durationSec;
    const clauseEnd = clauseEnds.find((end) => end > startSec) ?? durationSec;
    const first = Math.min(mark.position - 1, utf16At.length - 1);
    const last = Math.min(mark.position - 1 + mark.length, utf16At.length - 1);
    words.push({
      start: utf16At[Math.max(0, first)]!,
      end: utf16At[Math.max(0, last)]!,
      startSec,
      endSec: Math.max(startSec, Math.min(nextStart, clauseEnd, durationSec)),
    });
  });
  return words;
}
