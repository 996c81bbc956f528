import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakText } from '../speak-text.js';
import { recognize, wordErrorRate, words } from '../test-support/speech-recognizer.js';
import { SpeechPreparer } from '../text/speech-preparer.js';
import { DEFAULT_ESPEAK_VOICE, EspeakSynthesizer } from './espeak-synthesizer.js';

/** What the test speaks. */
const SPOKEN = [
  'The students read the book in the library.',
  'Water boils at one hundred degrees.',
  'She has a new red car.',
  'Please open the window and close the door.',
  'Plants use sunlight to make food.',
];
/** Sentences the recogniser must tell them from (sharing many of their words). */
const OTHERS = [
  'The teacher read a new book to the class.',
  'The students use the library in the morning.',
  'Close the book and open the door.',
  'Water plants in the morning.',
  'She has one red book and two new pens.',
  'The car is in the sun.',
  'Make the food for the students.',
  'Please read the window degrees.',
  'One hundred students boil water.',
  'The door and the window are new.',
];

let voice: EspeakSynthesizer;
const preparer = new SpeechPreparer();

beforeAll(async () => {
  voice = await EspeakSynthesizer.load(DEFAULT_ESPEAK_VOICE);
}, 60_000);
afterAll(() => Promise.all([voice.close(), preparer.close()]));

describe('espeak-ng through the product, heard by a real speech recogniser', { timeout: 120_000 }, () => {
  it('speaks words a recogniser understands (word error rate at most 25%)', async () => {
    const heard: string[][] = [];
    for await (const sentence of speakText(voice, SPOKEN.join(' '), { format: 'plain', preparer })) {
      heard.push(words(await recognize(sentence.samples, sentence.sampleRate, [...SPOKEN, ...OTHERS])));
    }
    expect(heard).toHaveLength(SPOKEN.length);
    const reference = SPOKEN.flatMap(words);
    const rate = wordErrorRate(reference, heard.flat());
    expect(rate, `heard: ${heard.map((sentence) => sentence.join(' ')).join(' | ')}`).toBeLessThanOrEqual(
      0.25,
    );
  });

  it('is not fooled by audio that is not speech', async () => {
    const noise = Float32Array.from({ length: 22050 * 2 }, (_, i) => Math.sin(i * 12.9898) * 0.3);
    const heard = words(await recognize(noise, 22050, [...SPOKEN, ...OTHERS]));
    expect(wordErrorRate(words(SPOKEN[0]!), heard)).toBeGreaterThan(0.5);
  });
});
