import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedSamples,
  makePiperVoice,
  PIPER_SYMBOLS,
  type GeneratedPiperVoice,
} from '../../../../../../scripts/fixtures/make-piper-voice.js';
import { defaultSileroModelPath } from '../../vad/silero-vad.js';
import { PiperSynthesizer } from './piper-synthesizer.js';

let dir: string;
let generated: GeneratedPiperVoice;
let voice: PiperSynthesizer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lm-piper-'));
  generated = makePiperVoice({ dir, name: 'en_US-test-tiny' });
  voice = await PiperSynthesizer.load({ modelPath: generated.modelPath, threads: 1 });
}, 60_000);
afterAll(async () => {
  await voice.close();
  rmSync(dir, { recursive: true, force: true });
});

interface EditableConfig {
  audio: { sample_rate: number };
  inference: { noise_scale: number; noise_w: number };
  phoneme_type?: string;
  phoneme_id_map?: unknown;
}

/** A copy of the test voice under another name, with its settings changed by `edit`. */
function variant(name: string, edit: (config: EditableConfig) => void = () => undefined): string {
  const modelPath = join(dir, `${name}.onnx`);
  copyFileSync(generated.modelPath, modelPath);
  const config = JSON.parse(readFileSync(generated.configPath, 'utf8')) as EditableConfig;
  edit(config);
  writeFileSync(`${modelPath}.json`, JSON.stringify(config));
  return modelPath;
}

const symbolsOf = (ids: number[]) => ids.map((id) => PIPER_SYMBOLS[id]).join('');

// Each voice runs on its own thread; starting one takes seconds on a busy 2-core machine.
describe('PiperSynthesizer on a generated Piper-shaped voice (real onnxruntime)', { timeout: 60_000 }, () => {
  it('describes the voice from its settings file', () => {
    expect(voice.voice).toMatchObject({
      id: 'piper:en_US-test-tiny',
      engine: 'piper',
      language: 'en-us',
      sampleRate: 22050,
      cloud: false,
      wordTimings: false,
    });
  });

  it("gives the network Piper's ids: start, each espeak-ng phoneme followed by the pad, end", async () => {
    const ids = await voice.phonemeIds('Hello, world.');
    expect(ids.slice(0, 2)).toEqual([1, 0]);
    expect(ids.at(-1)).toBe(2);
    expect(
      ids
        .slice(1, -1)
        .filter((_, index) => index % 2 === 0)
        .every((id) => id === 0),
    ).toBe(true);
    // Phonemes as piper-phonemize writes them, the clause's comma and full stop kept.
    expect(symbolsOf(ids.slice(2, -1).filter((_, index) => index % 2 === 0))).toBe('həlˈoʊ, wˈɜːld.');
  });

  it('makes exactly the audio its ids, lengths and length scale call for', async () => {
    const sentence = 'The mitochondria make energy for the cell.';
    const ids = await voice.phonemeIds(sentence);
    for (const speed of [1, 2, 0.5]) {
      const speech = await voice.synthesize(sentence, { speed });
      expect(speech.sampleRate).toBe(22050);
      expect(speech.words).toBeNull();
      // Each id lasts its frames times length_scale (1/speed), 256 samples a frame.
      expect(speech.samples.length).toBe(expectedSamples(generated, ids, 1 / speed));
      // Loudness normalised as Piper does: the loudest sample at full scale.
      expect(speech.samples.reduce((peak, value) => Math.max(peak, Math.abs(value)), 0)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic for the same settings and follows the noise scales of the settings file', async () => {
    const sentence = 'Same words, same sound.';
    const first = await voice.synthesize(sentence);
    const again = await voice.synthesize(sentence);
    expect(again.samples).toEqual(first.samples);
    const noisier = await PiperSynthesizer.load({
      modelPath: variant('noisier', (config) => {
        config.inference.noise_scale = 0.2;
        config.inference.noise_w = 0.1;
      }),
      threads: 1,
    });
    try {
      const other = await noisier.synthesize(sentence);
      expect(other.samples.length).toBe(first.samples.length);
      expect(other.samples).not.toEqual(first.samples);
    } finally {
      await noisier.close();
    }
  });

  it('speaks with the chosen speaker of a multi-speaker voice', async () => {
    const multi = makePiperVoice({ dir, name: 'multi', speakers: 3 });
    const [a, b] = await Promise.all(
      [0, 2].map((speaker) => PiperSynthesizer.load({ modelPath: multi.modelPath, threads: 1, speaker })),
    );
    try {
      const [first, second] = await Promise.all([
        a!.synthesize('Hello there.'),
        b!.synthesize('Hello there.'),
      ]);
      expect(first!.samples.length).toBe(second!.samples.length);
      expect(first!.samples).not.toEqual(second!.samples);
      await expect(
        PiperSynthesizer.load({ modelPath: multi.modelPath, threads: 1, speaker: 3 }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('3 speaker(s); there is no speaker 3'),
      });
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('plays a voice at any rate players use, such as 44,100 samples a second', async () => {
    const hifi = await PiperSynthesizer.load({
      modelPath: variant('hifi', (config) => (config.audio.sample_rate = 44100)),
      threads: 1,
    });
    try {
      expect(hifi.voice.sampleRate).toBe(44100);
      expect((await hifi.synthesize('High fidelity.')).sampleRate).toBe(44100);
    } finally {
      await hifi.close();
    }
  });

  it('returns no audio for a sentence with nothing to pronounce', async () => {
    const speech = await voice.synthesize('...');
    expect(speech.samples.length).toBe(0);
  });
});

describe('PiperSynthesizer: voices that cannot be used', { timeout: 60_000 }, () => {
  const load = (modelPath: string) => PiperSynthesizer.load({ modelPath, threads: 1 });

  it('names the missing settings file of an .onnx on its own', async () => {
    const modelPath = join(dir, 'alone.onnx');
    copyFileSync(generated.modelPath, modelPath);
    await expect(load(modelPath)).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringContaining('has no settings file beside it (alone.onnx.json)'),
    });
  });

  it('says a voice is not installed when its file is missing', async () => {
    await expect(load(join(dir, 'nowhere.onnx'))).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringContaining('is not installed'),
    });
  });

  it('refuses a damaged voice file, a non-ONNX file and an ONNX model that is not a voice', async () => {
    const truncated = variant('truncated');
    truncateSync(truncated, Math.floor(readFileSync(truncated).length / 2));
    await expect(load(truncated)).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringMatching(/damaged or is not a Piper voice.*truncated/),
    });
    const text = variant('text');
    writeFileSync(text, 'this is not a network at all');
    await expect(load(text)).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringContaining('damaged'),
    });
    const silero = variant('silero');
    copyFileSync(defaultSileroModelPath(), silero);
    await expect(load(silero)).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringContaining('no input named input_lengths, scales'),
    });
  });

  it('refuses damaged settings and a sample rate no player uses, naming the settings file', async () => {
    const broken = variant('broken');
    writeFileSync(`${broken}.json`, '{ "audio": ');
    await expect(load(broken)).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringContaining('broken.onnx.json is damaged'),
    });
    const noMap = variant('no-map', (config) => delete config.phoneme_id_map);
    await expect(load(noMap)).rejects.toMatchObject({ message: expect.stringContaining('phoneme_id_map') });
    const odd = variant('odd-rate', (config) => (config.audio.sample_rate = 12345));
    await expect(load(odd)).rejects.toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: expect.stringContaining('12,345 samples a second'),
    });
    const textPhonemes = variant('text-phonemes', (config) => (config.phoneme_type = 'text'));
    await expect(load(textPhonemes)).rejects.toMatchObject({
      message: expect.stringContaining('reads "text" phonemes'),
    });
  });
});
