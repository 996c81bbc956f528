/** The parts of @echogarden/espeak-ng-emscripten (espeak-ng's own Emscripten glue) the app uses. */
declare module '@echogarden/espeak-ng-emscripten' {
  export interface EspeakEvent {
    type:
      | 'sentence'
      | 'word'
      | 'phoneme'
      | 'end'
      | 'mark'
      | 'play'
      | 'msg_terminated'
      | 'list_terminated'
      | 'samplerate';
    /** 1-based, in code points of the text given. */
    text_position: number;
    /** In code points. */
    word_length: number;
    /** Milliseconds from the start of the text's audio. */
    audio_position: number;
    id?: string | number;
  }

  export interface EspeakWorker {
    /** 0 when the voice exists. */
    set_voice(name: string): number;
    /** Words per minute (80-450; 175 is espeak-ng's normal rate). */
    rate: number;
    readonly samplerate: number;
    /** Synthesises UTF-8 text with SSML and [[phoneme]] input on; `callback` gets 16-bit samples. */
    synthesize(
      text: string,
      callback: (samples: Int16Array, events: EspeakEvent[]) => boolean | number,
    ): void;
    /** espeak_TextToPhonemes over every clause, joined by " | "; the string is the caller's to free. */
    convert_to_phonemes(text: string, useIpa: boolean): { ptr: number };
  }

  export interface EspeakModule {
    eSpeakNGWorker: new () => EspeakWorker;
    HEAPU8: Uint8Array;
    _free(pointer: number): void;
  }

  const createModule: (options?: object) => Promise<EspeakModule>;
  export default createModule;
}
