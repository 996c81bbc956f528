/**
 * Reading a text aloud as a stream: the text is prepared (off the engine's thread), then spoken
 * sentence by sentence, each sentence's audio arriving as soon as it is made while the next is
 * already being synthesised. Only a sentence or two of audio exists at a time, so a book-length
 * text plays in bounded memory, and stopping stops at once.
 */
import { AppError } from '../../contract/index.js';
import type { SpeechPreparer } from './text/speech-preparer.js';
import type { SpeechFormat } from './text/speech-script.js';
import { quickStartCut } from './text/sentences.js';
import { sourceSpan, subSlice, type SourceSpan } from './text/spoken-text.js';
import { scriptName, unreadableScript } from './text/voice-scripts.js';
import type { Synthesizer } from './synthesizer.js';

export interface SpokenSentence {
  /**
   * Position among the text's sentences (the same numbering across calls, for skipping). A long
   * first sentence comes in two pieces with the same index, so speech starts sooner.
   */
  index: number;
  count: number;
  /** What the voice said. */
  text: string;
  /** Where it is in the text the student sees. */
  source: SourceSpan;
  samples: Float32Array;
  sampleRate: number;
  /** Each word's place in the student's text and its time, when the voice gives timings. */
  words: { source: SourceSpan; startSec: number; endSec: number }[] | null;
}

export interface SpeakTextSummary {
  sentences: number;
  /** Sentences left out because they are written in a script the voice cannot read. */
  skipped: number;
  /** The script of those, for a message ("Chinese characters"). */
  skippedScript: string | null;
}

export interface SpeakTextOptions {
  format: SpeechFormat;
  preparer: SpeechPreparer;
  /** 1 is the voice's normal speed. */
  speed?: number;
  /** Start at this sentence (to skip ahead or resume). */
  startAt?: number;
  /** Sentences synthesised ahead of the one being consumed. */
  lookahead?: number;
  /** Stops the reading: the iteration throws AppError('CANCELLED'). */
  signal?: AbortSignal;
}

export async function* speakText(
  synthesizer: Synthesizer,
  text: string,
  options: SpeakTextOptions,
): AsyncGenerator<SpokenSentence, SpeakTextSummary> {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new AppError('INVALID_INPUT', 'There is nothing to read aloud: the text is empty.');
  }
  const { voice } = synthesizer;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const script = await options.preparer.prepare(
      text,
      { format: options.format, language: voice.language },
      stop.signal,
    );
    const count = script.sentences.length;
    if (count === 0) {
      throw new AppError(
        'INVALID_INPUT',
        'There is nothing to read aloud in this text: it has no words, only formatting or symbols.',
      );
    }
    let skipped = 0;
    let skippedScript: string | null = null;
    const readable = script.sentences
      .map((sentence, index) => ({ sentence, index }))
      .filter(({ sentence, index }) => {
        if (index < (options.startAt ?? 0)) return false;
        const foreign = unreadableScript(sentence.text, voice.language);
        if (foreign) {
          skipped++;
          skippedScript ??= foreign;
        }
        return !foreign;
      });
    // The first sentence, if long, is spoken in two pieces: the first comes out sooner.
    const first = readable[0];
    const cut = first && quickStartCut(first.sentence.text);
    if (first && cut) {
      const { sentence, index } = first;
      const rest = cut + /^\s*/.exec(sentence.text.slice(cut))![0].length;
      readable.splice(
        0,
        1,
        { sentence: subSlice(sentence, 0, cut), index },
        { sentence: subSlice(sentence, rest, sentence.text.length), index },
      );
    }
    if (readable.length === 0 && skipped > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `${voice.label} reads ${voice.language.split('-')[0]!.toUpperCase()} text, but this text is written in ` +
          `${scriptName(skippedScript!)}. Choose a voice for its language in Settings › Voices.`,
        { script: skippedScript },
      );
    }

    const synthesize = (at: number) => {
      const { sentence } = readable[at]!;
      const speech = synthesizer.synthesize(sentence.text, {
        speed: options.speed ?? 1,
        signal: stop.signal,
      });
      // Rejections are handled when the sentence's turn comes; do not report them twice.
      speech.catch(() => undefined);
      return speech;
    };
    const ahead = Math.max(0, options.lookahead ?? 1);
    const queue = readable.slice(0, ahead + 1).map((_, at) => synthesize(at));
    for (let at = 0; at < readable.length; at++) {
      const speech = await queue.shift()!;
      if (at + ahead + 1 < readable.length) queue.push(synthesize(at + ahead + 1));
      if (stop.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      if (speech.samples.length === 0) continue;
      const { sentence, index } = readable[at]!;
      yield {
        index,
        count,
        text: sentence.text,
        source: sentence.source,
        samples: speech.samples,
        sampleRate: speech.sampleRate,
        words:
          speech.words?.map((word) => ({
            source: sourceSpan(sentence.pieces, word.start, word.end),
            startSec: word.startSec,
            endSec: word.endSec,
          })) ?? null,
      };
    }
    return { sentences: count, skipped, skippedScript: skippedScript && scriptName(skippedScript) };
  } finally {
    // Stopped, finished or abandoned by the consumer: nothing more is synthesised.
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}
