import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SileroVad, type SpeechRegion } from './silero-vad.js';
import {
  concat,
  JFK_WAV,
  LIBRIVOX_CLIPS,
  readWav,
  SAMPLE_RATE,
  silence,
  whiteNoise,
} from './test-support/speech-audio.js';

/** How far a detected boundary may be from the true one. */
const TOLERANCE_SEC = 0.3;

let vad: SileroVad;
beforeAll(async () => {
  vad = await SileroVad.load();
});
afterAll(async () => {
  await vad?.close();
});

function expectRegionsNear(found: SpeechRegion[], truth: SpeechRegion[]): void {
  expect(found, JSON.stringify(found)).toHaveLength(truth.length);
  found.forEach((region, i) => {
    expect(Math.abs(region.startSec - truth[i]!.startSec), `start of region ${i}`).toBeLessThanOrEqual(
      TOLERANCE_SEC,
    );
    expect(Math.abs(region.endSec - truth[i]!.endSec), `end of region ${i}`).toBeLessThanOrEqual(
      TOLERANCE_SEC,
    );
  });
}

/** Feeds `samples` in chunks of the given sizes (cycled); records when each region came out. */
async function stream(samples: Float32Array, chunkSizes: number[], options = {}) {
  const detector = vad.createStream(options);
  const reported: { region: SpeechRegion; atSec: number }[] = [];
  for (let at = 0, i = 0; at < samples.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    const regions = await detector.push(samples.subarray(at, at + size));
    at = Math.min(samples.length, at + size);
    for (const region of regions) reported.push({ region, atSec: at / SAMPLE_RATE });
  }
  for (const region of await detector.finish())
    reported.push({ region, atSec: samples.length / SAMPLE_RATE });
  return reported;
}

describe('SileroVad on LibriVox speech with known silence around it', () => {
  // Both clips are cut tightly: speech runs from their first sample to their last.
  const signal = () =>
    concat([silence(1), readWav(LIBRIVOX_CLIPS[0]!), silence(1.5), readWav(LIBRIVOX_CLIPS[1]!), silence(1)]);

  it('finds each clip within 0.3 s of where it really starts and ends', async () => {
    const { samples, spans } = signal();
    expectRegionsNear(await vad.detectSpeech(samples), [spans[1]!, spans[3]!]);
  });

  it('gives the same regions whatever the chunk sizes', async () => {
    const { samples } = signal();
    const whole = await vad.detectSpeech(samples);
    const chunked = await stream(samples, [1, 320, 511, 4096, 7, 1600]);
    expect(chunked.map((r) => r.region)).toEqual(whole);
  });

  it('reports an utterance as soon as the pause after it is long enough (live captions)', async () => {
    const { samples, spans } = signal();
    const minSilenceSec = 0.5;
    const reported = await stream(samples, [320], { minSilenceSec }); // 20 ms, like an AudioWorklet
    expect(reported).toHaveLength(2);
    const first = reported[0]!;
    // Out while the second clip has not even started, within one frame of the pause reaching its length.
    expect(first.atSec).toBeLessThan(spans[3]!.startSec);
    expect(first.atSec - spans[1]!.endSec).toBeLessThanOrEqual(minSilenceSec + 0.1);
  });
});

describe('SileroVad on jfk.wav', () => {
  it('finds the speech between its two long pauses, within 0.3 s', async () => {
    const pad = 1;
    const { samples } = concat([silence(pad), readWav(JFK_WAV), silence(pad)]);
    // Speech in the clip, from its energy envelope (50 ms frames): it starts at 0.32 s, pauses at
    // 2.18-3.28 s and 4.42-5.40 s (its shorter pauses stay inside an utterance at this minimum
    // silence) and ends at 10.3 s, where the level falls to the recording's noise floor.
    const truth = [
      [0.32, 2.18],
      [3.28, 4.42],
      [5.4, 10.3],
    ].map(([start, end]) => ({ startSec: pad + start!, endSec: pad + end! }));
    // Without padding: this checks the detector's own boundaries (padding is tested on its own).
    expectRegionsNear(await vad.detectSpeech(samples, { minSilenceSec: 0.8, padSec: 0 }), truth);
  });
});

describe('SileroVad on audio without speech', () => {
  it('finds nothing in digital silence', async () => {
    expect(await vad.detectSpeech(silence(5))).toEqual([]);
  });

  it('finds nothing in white noise, soft or loud', async () => {
    for (const level of [0.01, 0.1, 0.3]) {
      expect(await vad.detectSpeech(whiteNoise(8, level, 7)), `noise at ${level}`).toEqual([]);
    }
  });

  it('finds nothing in empty or very short audio', async () => {
    expect(await vad.detectSpeech(new Float32Array(0))).toEqual([]);
    expect(await vad.detectSpeech(new Float32Array(100))).toEqual([]);
  });
});

describe('SileroVad misuse', () => {
  it('refuses samples that are not Float32', async () => {
    const detector = vad.createStream();
    await expect(detector.push(new Int16Array(10) as unknown as Float32Array)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses audio after the stream finished', async () => {
    const detector = vad.createStream();
    await detector.finish();
    await expect(detector.push(silence(0.1))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('says the model is missing when its file is', async () => {
    await expect(SileroVad.load({ modelPath: '/nonexistent/silero.onnx' })).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
    });
  });

  it('refuses work once closed', async () => {
    const other = await SileroVad.load();
    await other.close();
    expect(() => other.createStream()).toThrow(/closed/);
  });
});
