import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePiperVoice } from '../../../../../scripts/fixtures/make-piper-voice.js';
import { EspeakSynthesizer } from './espeak/espeak-synthesizer.js';
import { PiperSynthesizer } from './piper/piper-synthesizer.js';
import {
  speakText,
  type SpeakTextOptions,
  type SpeakTextSummary,
  type SpokenSentence,
} from './speak-text.js';
import type { SynthesizedSpeech, SynthesizeOptions, Synthesizer } from './synthesizer.js';
import { SpeechPreparer } from './text/speech-preparer.js';

let dir: string;
let espeak: EspeakSynthesizer;
let piper: PiperSynthesizer;
const preparer = new SpeechPreparer();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lm-speak-'));
  const voice = makePiperVoice({ dir, name: 'en_US-test-tiny' });
  [espeak, piper] = await Promise.all([
    EspeakSynthesizer.load('en-us'),
    PiperSynthesizer.load({ modelPath: voice.modelPath, threads: 1 }),
    preparer.warm(),
  ]);
}, 90_000);
afterAll(async () => {
  await Promise.all([espeak.close(), piper.close(), preparer.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(
  synthesizer: Synthesizer,
  text: string,
  options: Partial<SpeakTextOptions> = {},
): Promise<{ sentences: SpokenSentence[]; summary: SpeakTextSummary }> {
  const stream = speakText(synthesizer, text, { format: 'markdown', preparer, ...options });
  const sentences: SpokenSentence[] = [];
  for (;;) {
    const next = await stream.next();
    if (next.done) return { sentences, summary: next.value };
    sentences.push(next.value);
  }
}

/** A real synthesizer, counting how many of its sentences are in flight at once. */
class Counting implements Synthesizer {
  inFlight = 0;
  maxInFlight = 0;
  calls = 0;
  constructor(private readonly inner: Synthesizer) {}
  get voice() {
    return this.inner.voice;
  }
  async synthesize(sentence: string, options?: SynthesizeOptions): Promise<SynthesizedSpeech> {
    this.calls++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      return await this.inner.synthesize(sentence, options);
    } finally {
      this.inFlight--;
    }
  }
  close() {
    return Promise.resolve();
  }
}

const answer = [
  '## Mitochondria',
  '',
  'Mitochondria make **energy** for the cell [1]. They have their own DNA, e.g. a small ring.',
  '',
  '```python\nprint("skip me")\n```',
  '',
  'Their area is $\\pi r^2$ at most.',
].join('\n');

describe('speakText', { timeout: 60_000 }, () => {
  it('streams the sentences in order, each with its audio and its place in the text', async () => {
    const { sentences, summary } = await readAll(piper, answer);
    expect(sentences.map((sentence) => sentence.text)).toEqual([
      'Mitochondria.',
      'Mitochondria make energy for the cell.',
      'They have their own DNA, for example, a small ring.',
      'Code block skipped.',
      'Their area is pi r squared at most.',
    ]);
    expect(sentences.map((sentence) => sentence.index)).toEqual([0, 1, 2, 3, 4]);
    expect(sentences.every((sentence) => sentence.count === 5 && sentence.sampleRate === 22050)).toBe(true);
    expect(sentences.every((sentence) => sentence.samples.length > 0 && sentence.words === null)).toBe(true);
    expect(sentences.map((sentence) => answer.slice(sentence.source.start, sentence.source.end))).toEqual([
      'Mitochondria',
      'Mitochondria make **energy** for the cell [1].',
      'They have their own DNA, e.g. a small ring.',
      '```python\nprint("skip me")\n```',
      'Their area is $\\pi r^2$ at most.',
    ]);
    expect(summary).toEqual({ sentences: 5, skipped: 0, skippedScript: null });
  });

  it("maps espeak-ng's word timings to the words of the student's text", async () => {
    const text = 'Dr. Smith found **ribosomes** in 1955.';
    const [sentence] = (await readAll(espeak, text)).sentences;
    const words = sentence!.words!.map((word) => text.slice(word.source.start, word.source.end));
    expect(words).toEqual(expect.arrayContaining(['Dr.', 'Smith', 'found', 'ribosomes', '1955']));
    expect(words.indexOf('Dr.')).toBeLessThan(words.indexOf('ribosomes'));
    const times = sentence!.words!.map((word) => word.startSec);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('speaks a long first sentence in two pieces, so the first audio comes sooner', async () => {
    const text =
      'Mitochondria convert the energy stored in food into a form that cells can use. Then they rest.';
    const { sentences } = await readAll(piper, text);
    expect(sentences.map((sentence) => [sentence.index, sentence.text])).toEqual([
      [0, 'Mitochondria convert the energy stored'],
      [0, 'in food into a form that cells can use.'],
      [1, 'Then they rest.'],
    ]);
    expect(sentences.map((sentence) => text.slice(sentence.source.start, sentence.source.end))).toEqual([
      'Mitochondria convert the energy stored',
      'in food into a form that cells can use.',
      'Then they rest.',
    ]);
  });

  it('starts at a chosen sentence and speaks at the chosen speed', async () => {
    const { sentences } = await readAll(piper, answer, { startAt: 3 });
    expect(sentences.map((sentence) => sentence.index)).toEqual([3, 4]);
    const [normal] = (await readAll(piper, 'A short test sentence.')).sentences;
    const [fast] = (await readAll(piper, 'A short test sentence.', { speed: 2 })).sentences;
    // Frames per phoneme are whole numbers, so twice as fast is a little more than half as long.
    expect(fast!.samples.length).toBeLessThan(normal!.samples.length * 0.7);
  });

  it('keeps at most the look-ahead in flight, so a 1 MB text streams in bounded memory', async () => {
    const paragraph = 'The cell membrane controls what enters and leaves the cell. '.repeat(8);
    const book = Array.from({ length: Math.ceil(1_000_000 / (paragraph.length + 2)) }, () => paragraph).join(
      '\n\n',
    );
    expect(book.length).toBeGreaterThanOrEqual(1_000_000);
    const counting = new Counting(espeak);
    const stream = speakText(counting, book, { format: 'plain', preparer, lookahead: 1 });
    let heard = 0;
    let count = 0;
    for await (const sentence of stream) {
      count = sentence.count;
      if (++heard === 12) break; // the student stops after a while
    }
    expect(count).toBeGreaterThan(15_000);
    expect(counting.maxInFlight).toBeLessThanOrEqual(2);
    // Only the sentences heard and the one looked ahead were ever synthesised.
    expect(counting.calls).toBeLessThanOrEqual(heard + 2);
  });

  it('stops at once when cancelled, and the voice keeps working', async () => {
    const controller = new AbortController();
    const stream = speakText(espeak, answer, { format: 'markdown', preparer, signal: controller.signal });
    const first = await stream.next();
    expect(first.done).toBe(false);
    controller.abort();
    await expect(stream.next()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await readAll(espeak, 'Still working.')).sentences).toHaveLength(1);
  });

  it('refuses empty text and text with nothing to say', async () => {
    await expect(readAll(espeak, '  \n ')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'There is nothing to read aloud: the text is empty.',
    });
    await expect(readAll(espeak, '---\n\n[1] 🎉')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('no words, only formatting or symbols'),
    });
  });

  it('says so when the voice cannot read the text, and skips foreign sentences in a mixed text', async () => {
    await expect(readAll(piper, '细胞是生命的基本单位。线粒体产生能量。')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('written in Chinese characters. Choose a voice for its language'),
    });
    const { sentences, summary } = await readAll(
      espeak,
      'The cell is the unit of life.\n\nКлетка — единица жизни.',
    );
    expect(sentences.map((sentence) => sentence.text)).toEqual(['The cell is the unit of life.']);
    expect(summary).toEqual({ sentences: 2, skipped: 1, skippedScript: 'Cyrillic' });
  });
});
