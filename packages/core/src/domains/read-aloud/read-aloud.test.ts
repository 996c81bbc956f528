import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makePiperVoice,
  type GeneratedPiperVoice,
} from '../../../../../scripts/fixtures/make-piper-voice.js';
import { writeModelCatalog } from '../../../../../scripts/fixtures/model-catalog.js';
import type { EventPayload, VoicesStatus } from '../../contract/index.js';
import {
  startAzureSpeechServer,
  type AzureSpeechServer,
} from '../../ai/tts/azure/test-support/azure-speech-server.js';
import { decodeWav } from '../../audio/wav.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';

const AZURE_KEY = 'azure-speech-key-123';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let voice: GeneratedPiperVoice;
let azure: AzureSpeechServer;

beforeAll(async () => {
  dir = tempDir('lm-read-aloud-');
  voice = makePiperVoice({ dir: dir.path, name: 'en_US-test-medium', sampleRate: 16000 });
  const catalog = writeModelCatalog(dir.path, [
    { id: 'en_us-test-medium', kind: 'tts', file: voice.modelPath, name: 'Test voice (American)' },
  ]);
  azure = await startAzureSpeechServer({ key: AZURE_KEY, voices: ['en-GB-SoniaNeural'] });
  core = await openTestCore(join(dir.path, 'data'), {}, { modelCatalogFile: catalog });
}, 60_000);

afterAll(async () => {
  await core?.close();
  await azure?.close();
  dir?.remove();
});

const voices = () => core.value<VoicesStatus>('readAloud.voices');

type Sentence = EventPayload<'readAloud.sentence'>;
type Ended = EventPayload<'readAloud.ended'>;

/** Reads `text` aloud and collects its sentences until the reading ends. */
async function read(input: Record<string, unknown>): Promise<{ sentences: Sentence[]; ended: Ended }> {
  const { readingId } = await core.value<{ readingId: string }>('readAloud.speak', input);
  const ended = await waitFor(
    () =>
      core.events.find((event) => event.name === 'readAloud.ended' && event.payload.readingId === readingId)
        ?.payload as Ended | undefined,
    (payload) => payload !== undefined,
    60_000,
  );
  const sentences = core.events.flatMap((event) =>
    event.name === 'readAloud.sentence' && event.payload.readingId === readingId ? [event.payload] : [],
  );
  return { sentences, ended: ended! };
}

describe('read aloud', () => {
  it('reads with espeak-ng when no voice is installed, with each word timed in the text given', async () => {
    const status = await voices();
    expect(status.current).toBe('espeak:en-us+klatt4');
    expect(status.voices.find((entry) => entry.modelId === 'en_us-test-medium')).toMatchObject({
      available: false,
      language: 'en-us',
    });

    const text = 'Cells **divide** by mitosis [1]. Then they grow.';
    const { sentences, ended } = await read({ text });
    expect(ended).toMatchObject({ reason: 'finished', message: null });
    expect(sentences.map((sentence) => sentence.index)).toEqual([0, 1]);
    const first = sentences[0]!;
    expect(text.slice(first.source.start, first.source.end)).toContain('Cells **divide** by mitosis');
    const audio = decodeWav(Buffer.from(first.wav, 'base64'));
    expect(audio.channels[0]!.length / audio.sampleRate).toBeCloseTo(first.durationSec, 3);
    expect(first.durationSec).toBeGreaterThan(0.3);
    expect(first.words!.map((word) => text.slice(word.start, word.end))).toEqual(
      expect.arrayContaining(['Cells', 'divide', 'mitosis']),
    );
  });

  it('installs a Piper voice with its settings file, then reads with it by default', async () => {
    await core.value('models.installFromFile', { id: 'en_us-test-medium', path: voice.modelPath });
    const status = await voices();
    expect(status.current).toBe('piper:en_us-test-medium');

    const { sentences, ended } = await read({ text: 'One sentence. And another one.', speed: 2 });
    expect(ended.reason).toBe('finished');
    expect(sentences).toHaveLength(2);
    const audio = decodeWav(Buffer.from(sentences[0]!.wav, 'base64'));
    expect(audio.sampleRate).toBe(16000);
    expect(audio.channels[0]!.length).toBeGreaterThan(0);
    expect(sentences[0]!.words).toBeNull(); // Piper gives no word timings
  });

  it('refuses a voice file whose settings file is not beside it, and installs nothing', async () => {
    const lone = join(dir.path, 'lone');
    mkdirSync(lone);
    copyFileSync(voice.modelPath, join(lone, 'voice.onnx'));
    await core.value('models.delete', { id: 'en_us-test-medium' });
    const result = await core.dispatch('models.installFromFile', {
      id: 'en_us-test-medium',
      path: join(lone, 'voice.onnx'),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!result.ok && result.error.message).toContain('voice.onnx.json is not beside voice.onnx');
    expect((await voices()).current).toBe('espeak:en-us+klatt4');
  });

  it('follows the voice and speed chosen in settings', async () => {
    await core.value('settings.update', {
      readAloudVoiceId: 'espeak:en-gb-x-rp+klatt4',
      readAloudSpeed: 1.5,
    });
    expect(await voices()).toMatchObject({ current: 'espeak:en-gb-x-rp+klatt4', speed: 1.5 });
    const { ended } = await read({ text: 'Good morning.' });
    expect(ended.reason).toBe('finished');
    // A chosen voice that is not installed is passed over.
    await core.value('settings.update', { readAloudVoiceId: 'piper:en_us-test-medium' });
    expect((await voices()).current).toBe('espeak:en-us+klatt4');
    await core.value('settings.update', { readAloudVoiceId: null, readAloudSpeed: 1 });
  });

  it('stops a reading at once, and a new reading stops the last', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `This is sentence number ${i + 1}.`).join(' ');
    const { readingId } = await core.value<{ readingId: string }>('readAloud.speak', { text: long });
    await waitFor(
      () =>
        core.events.some(
          (event) => event.name === 'readAloud.sentence' && event.payload.readingId === readingId,
        ),
      Boolean,
      30_000,
    );
    await core.value('readAloud.stop', { readingId });
    const ended = await waitFor(
      () =>
        core.events.find(
          (event) => event.name === 'readAloud.ended' && event.payload.readingId === readingId,
        ),
      Boolean,
    );
    expect(ended!.payload).toMatchObject({ reason: 'stopped' });
    const spoken = core.events.filter(
      (event) => event.name === 'readAloud.sentence' && event.payload.readingId === readingId,
    ).length;
    expect(spoken).toBeLessThan(40);

    const first = await core.value<{ readingId: string }>('readAloud.speak', { text: long });
    const second = await read({ text: 'Hello.' });
    expect(second.ended.reason).toBe('finished');
    const firstEnded = await waitFor(
      () =>
        core.events.find(
          (event) => event.name === 'readAloud.ended' && event.payload.readingId === first.readingId,
        ),
      Boolean,
    );
    expect(firstEnded!.payload).toMatchObject({ reason: 'stopped' });
  });

  it('keeps only a few sentences ahead of the one the player is playing', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1}.`).join(' ');
    const { readingId } = await core.value<{ readingId: string }>('readAloud.speak', { text: long });
    const sent = () =>
      core.events.filter(
        (event) => event.name === 'readAloud.sentence' && event.payload.readingId === readingId,
      ).length;
    await waitFor(sent, (count) => count === 4, 30_000);
    await core.value('readAloud.played', { readingId, index: 5 });
    await waitFor(sent, (count) => count === 10, 30_000);
    await core.value('readAloud.played', { readingId, index: 11 });
    const ended = await waitFor(
      () =>
        core.events.find(
          (event) => event.name === 'readAloud.ended' && event.payload.readingId === readingId,
        ),
      Boolean,
      30_000,
    );
    expect(ended!.payload).toMatchObject({ reason: 'finished' });
    expect(sent()).toBe(12);
  });

  it('says why it cannot read: empty text, nothing but symbols, an unknown voice', async () => {
    expect(await core.dispatch('readAloud.speak', { text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const symbols = await read({ text: '```\nx = 1\n```' });
    expect(symbols.ended.reason).not.toBe('stopped');
    expect(await core.dispatch('readAloud.speak', { text: 'Hi.', voiceId: 'piper:nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await core.dispatch('readAloud.speak', { text: 'Hi.', speed: 3 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('reads with Azure Speech once configured; the key stays in the keychain and out of every answer', async () => {
    expect(
      await core.dispatch('readAloud.configureAzure', { region: 'west europe!', key: AZURE_KEY }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const config = await core.value('readAloud.configureAzure', {
      endpoint: azure.url,
      key: AZURE_KEY,
      voice: 'en-GB-SoniaNeural',
    });
    expect(config).toEqual({ region: null, endpoint: azure.url, voice: 'en-GB-SoniaNeural' });
    const status = await voices();
    expect(status.voices.find((entry) => entry.engine === 'azure')).toMatchObject({
      id: 'azure:en-GB-SoniaNeural',
      cloud: true,
      available: true,
    });
    expect(JSON.stringify(status)).not.toContain(AZURE_KEY);

    const { sentences, ended } = await read({
      text: 'Hello from the cloud.',
      voiceId: 'azure:en-GB-SoniaNeural',
    });
    expect(ended.reason).toBe('finished');
    expect(decodeWav(Buffer.from(sentences[0]!.wav, 'base64')).sampleRate).toBe(24000);
    expect(azure.requests.at(-1)!.text).toContain('Hello from the cloud.');

    await core.value('readAloud.removeAzure');
    expect((await voices()).voices.some((entry) => entry.engine === 'azure')).toBe(false);
  });
});
