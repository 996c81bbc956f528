import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../contract/index.js';
import { ESPEAK_SAMPLE_RATE } from './espeak-ng.js';
import { EspeakSynthesizer } from './espeak-synthesizer.js';

let voice: EspeakSynthesizer;

beforeAll(async () => {
  voice = await EspeakSynthesizer.load('en-us');
}, 60_000);
afterAll(() => voice.close());

const rms = (samples: Float32Array) =>
  Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);

// Each voice runs on its own thread; starting one takes seconds on a busy 2-core machine.
describe('EspeakSynthesizer', { timeout: 60_000 }, () => {
  it('describes itself as the always-available local voice with word timings', () => {
    expect(voice.voice).toMatchObject({
      id: 'espeak:en-us',
      engine: 'espeak',
      language: 'en-us',
      sampleRate: ESPEAK_SAMPLE_RATE,
      cloud: false,
      wordTimings: true,
    });
  });

  it('speaks a sentence and times each of its words, in order, inside the audio', async () => {
    const sentence = 'Mitochondria make energy for the café, naïvely.';
    const speech = await voice.synthesize(sentence);
    const duration = speech.samples.length / speech.sampleRate;
    expect(speech.sampleRate).toBe(ESPEAK_SAMPLE_RATE);
    expect(duration).toBeGreaterThan(1.5);
    expect(duration).toBeLessThan(6);
    expect(rms(speech.samples)).toBeGreaterThan(0.01);
    expect(speech.samples.every((value) => Math.abs(value) <= 1)).toBe(true);
    const words = speech.words!;
    // espeak-ng times content words (it may run "for the" together); each maps to its own text.
    const timed = words.map((word) => sentence.slice(word.start, word.end));
    expect(
      timed.filter((word) => ['Mitochondria', 'make', 'energy', 'café', 'naïvely'].includes(word)),
    ).toEqual(['Mitochondria', 'make', 'energy', 'café', 'naïvely']);
    for (const [index, word] of words.entries()) {
      expect(word.endSec).toBeGreaterThanOrEqual(word.startSec);
      expect(word.endSec).toBeLessThanOrEqual(duration);
      if (index > 0) expect(word.startSec).toBeGreaterThan(words[index - 1]!.startSec);
    }
  });

  it('speaks faster or slower at the chosen speed', async () => {
    const sentence = 'The quick brown fox jumps over the lazy dog.';
    const [slow, normal, fast] = await Promise.all(
      [0.5, 1, 2].map((speed) => voice.synthesize(sentence, { speed })),
    );
    expect(slow!.samples.length).toBeGreaterThan(normal!.samples.length * 1.4);
    expect(fast!.samples.length).toBeLessThan(normal!.samples.length * 0.7);
  });

  it('reads markup characters as text, never as SSML or phoneme input', async () => {
    const sentence = 'Keep <b>this</b> and [[h@l@U]] as plain words.';
    const speech = await voice.synthesize(sentence);
    const spoken = speech.words!.map((word) =>
      sentence.slice(word.start, word.end).replace(/[^\p{L}]/gu, ''),
    );
    // The tag's letters and the bracketed letters are spoken one by one, as text.
    expect(spoken).toEqual(
      expect.arrayContaining(['Keep', 'b', 'this', 'and', 'h', 'l', 'U', 'as', 'plain', 'words']),
    );
  });

  it('refuses empty text, a speed out of range and an unknown voice with clear messages', async () => {
    await expect(voice.synthesize('   ')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('nothing to read aloud'),
    });
    await expect(voice.synthesize('Hello.', { speed: 3 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('0.5x to 2x'),
    });
    await expect(EspeakSynthesizer.load('xx-nowhere')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('no voice named "xx-nowhere"'),
    });
  });

  it('cancels a request at once and keeps serving the next', async () => {
    const controller = new AbortController();
    const pending = voice.synthesize('A long sentence that is being spoken when the student presses stop.', {
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AppError);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    const next = await voice.synthesize('Still here.');
    expect(next.samples.length).toBeGreaterThan(0);
  });

  it('starts a fresh thread after close', async () => {
    const other = await EspeakSynthesizer.load('en-gb-x-rp');
    await other.close();
    const speech = await other.synthesize('Back again.');
    expect(speech.samples.length).toBeGreaterThan(0);
    await other.close();
  });
});
