import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SileroVad } from '../../ai/vad/silero-vad.js';
import { concat, JFK_WAV, readWav, silence } from '../../ai/vad/test-support/speech-audio.js';
import { SpeechCutter } from './speech-cutter.js';

let vad: SileroVad;
beforeAll(async () => {
  vad = await SileroVad.load();
});
afterAll(() => vad.close());

describe('SpeechCutter on real speech (Silero VAD)', () => {
  it('cuts the same utterances as whole-file detection, each with all of its audio, fed in pieces', async () => {
    const speech = readWav(JFK_WAV);
    const { samples } = concat([silence(40), speech]); // a long silence first: memory must not hold it
    const whole = await vad.detectSpeech(samples);
    const cutter = new SpeechCutter(vad);
    const cut = [];
    for (let at = 0; at < samples.length; at += 7000)
      cut.push(...(await cutter.push(samples.subarray(at, at + 7000))));
    cut.push(...(await cutter.finish()));

    expect(cut.map(({ startSec, endSec }) => ({ startSec, endSec }))).toEqual(whole);
    for (const utterance of cut) {
      expect(utterance.samples.length).toBe(
        Math.round(utterance.endSec * 16000) - Math.round(utterance.startSec * 16000),
      );
      const from = Math.round(utterance.startSec * 16000);
      expect(utterance.samples[100]).toBe(samples[from + 100]);
    }
    expect(cut[0]!.startSec).toBeGreaterThan(39);
  });
});
