import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_SAMPLE_RATE, AzureSpeechSynthesizer } from './azure-speech-synthesizer.js';
import {
  expectedTone,
  startAzureSpeechServer,
  type AzureSpeechServer,
} from './test-support/azure-speech-server.js';

const KEY = 'azure-speech-test-key-0123456789abcdef';
const VOICE = 'en-GB-SoniaNeural';
let server: AzureSpeechServer;

beforeAll(async () => {
  server = await startAzureSpeechServer({ key: KEY, voices: [VOICE, 'en-US-AvaMultilingualNeural'] });
});
afterAll(() => server.close());

const synthesizer = (options: Partial<ConstructorParameters<typeof AzureSpeechSynthesizer>[0]> = {}) =>
  new AzureSpeechSynthesizer({ endpoint: server.url, key: KEY, voice: VOICE, ...options });

/** Every string an error carries: its message and its details. */
const everything = (error: unknown) =>
  JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details });

describe('AzureSpeechSynthesizer against a local server speaking the REST wire format', () => {
  it('describes a cloud voice from its name', () => {
    expect(synthesizer().voice).toEqual({
      id: `azure:${VOICE}`,
      engine: 'azure',
      label: 'Sonia (Azure)',
      language: 'en-gb',
      sampleRate: AZURE_SAMPLE_RATE,
      cloud: true,
      wordTimings: false,
    });
  });

  it('sends the sentence as escaped SSML with the key header and decodes the 24 kHz PCM it gets back', async () => {
    const sentence = 'Is 3 < 5 & "x" > \'y\'? </prosody><break time="9s"/> Yes.';
    const speech = await synthesizer().synthesize(sentence, { speed: 1.5 });
    const request = server.requests.at(-1)!;
    // The service reads exactly the student's text: nothing in it became markup.
    expect(request.text).toBe(sentence);
    expect(request.voice).toBe(VOICE);
    expect(request.rate).toBe('+50%');
    expect(request.ssml).toContain('xml:lang="en-gb"');
    expect(request.headers['ocp-apim-subscription-key']).toBe(KEY);
    expect(speech.sampleRate).toBe(AZURE_SAMPLE_RATE);
    expect(speech.words).toBeNull();
    expect(speech.samples).toEqual(expectedTone(sentence));
  });

  it('asks for slower speech with a negative rate', async () => {
    await synthesizer().synthesize('Slowly now.', { speed: 0.5 });
    expect(server.requests.at(-1)!.rate).toBe('-50%');
  });

  it('reports a bad key as UNAUTHORIZED, with no key in the message or details', async () => {
    const wrong = 'wrong-key-that-is-long-enough-to-redact';
    const error = await synthesizer({ key: wrong })
      .synthesize('Hello.')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Azure Speech refused the key: check it in Settings › Voices.',
    });
    expect(everything(error)).not.toContain(wrong);
    expect(everything(error)).toContain('[redacted]'); // the server echoed it; it was removed
  });

  it('names an unknown voice, a wrong endpoint, a rate limit and an unreachable service', async () => {
    await expect(synthesizer({ voice: 'en-US-NobodyNeural' }).synthesize('Hi.')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('check that the voice en-US-NobodyNeural exists'),
    });
    await expect(synthesizer({ endpoint: `${server.url}/nowhere` }).synthesize('Hi.')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    server.throttle = { retryAfterSeconds: 7 };
    try {
      await expect(synthesizer().synthesize('Hi.')).rejects.toMatchObject({
        code: 'ENGINE_UNAVAILABLE',
        message: expect.stringContaining('busy'),
        details: expect.objectContaining({ retryAfterSeconds: 7 }),
      });
    } finally {
      server.throttle = undefined;
    }
    const closed = await startAzureSpeechServer({ key: KEY, voices: [VOICE] });
    await closed.close();
    await expect(synthesizer({ endpoint: closed.url }).synthesize('Hi.')).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringContaining('Cannot reach Azure Speech (127.0.0.1:'),
    });
  });

  it('cancels a request the service is slow to answer', async () => {
    server.hang = true;
    try {
      const controller = new AbortController();
      const pending = synthesizer().synthesize('Waiting.', { signal: controller.signal });
      setImmediate(() => controller.abort());
      await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      server.hang = false;
    }
  });

  it('refuses settings it cannot use before sending anything', () => {
    const before = server.requests.length;
    expect(() => new AzureSpeechSynthesizer({ key: KEY })).toThrow(/Enter the Azure Speech region/);
    expect(() => new AzureSpeechSynthesizer({ region: 'west europe!', key: KEY })).toThrow(
      /is not an Azure region/,
    );
    expect(() => new AzureSpeechSynthesizer({ endpoint: 'ftp://x', key: KEY })).toThrow(
      /is not an Azure Speech endpoint/,
    );
    expect(() => new AzureSpeechSynthesizer({ region: 'westeurope', key: ' ' })).toThrow(
      /Enter the Azure Speech key/,
    );
    expect(() => new AzureSpeechSynthesizer({ region: 'westeurope', key: KEY, voice: 'Ava' })).toThrow(
      /not an Azure voice name/,
    );
    expect(new AzureSpeechSynthesizer({ region: 'WestEurope', key: KEY }).voice.language).toBe('en-us');
    expect(server.requests.length).toBe(before);
  });
});
