/**
 * Azure Speech neural voices through the service's REST API (POST {endpoint}/cognitiveservices/v1
 * with SSML, the resource key in `Ocp-Apim-Subscription-Key`, raw 16-bit PCM back). Used only
 * when the student configured a Speech resource; nothing is sent before a sentence is asked for.
 */
import { AppError } from '../../../contract/index.js';
import { CloudErrors, isNetworkFailure, retryAfterSeconds } from '../../llm/cloud/cloud-errors.js';
import {
  checkSynthesisInput,
  type SynthesizedSpeech,
  type SynthesizeOptions,
  type Synthesizer,
  type VoiceInfo,
} from '../synthesizer.js';
import { sentenceSsml } from './ssml.js';

export interface AzureSpeechOptions {
  /** The Speech resource's region ("westeurope"), or... */
  region?: string;
  /** ...its endpoint (a custom domain): `https://<name>.cognitiveservices.azure.com`. */
  endpoint?: string;
  /** The resource key (read from the OS keychain by the caller; never logged). */
  key: string;
  /** A neural voice, e.g. {@link AZURE_DEFAULT_VOICE}. */
  voice?: string;
}

/** A multilingual neural voice available in most regions. */
export const AZURE_DEFAULT_VOICE = 'en-US-AvaMultilingualNeural';
/** 24 kHz is what Azure's neural voices are made at; raw PCM needs no decoder. */
const OUTPUT_FORMAT = 'raw-24khz-16bit-mono-pcm';
export const AZURE_SAMPLE_RATE = 24000;
/** Time to wait for a sentence's audio. */
const RESPONSE_TIMEOUT_MS = 30_000;

export class AzureSpeechSynthesizer implements Synthesizer {
  readonly voice: VoiceInfo;
  private readonly endpoint: string;
  private readonly voiceName: string;
  private readonly errors: CloudErrors;
  private closed = false;

  /** Checks the settings; nothing is sent until `synthesize`. */
  constructor(private readonly options: AzureSpeechOptions) {
    const region = options.region?.trim().toLowerCase();
    const endpoint = options.endpoint?.trim().replace(/\/+$/, '');
    if (endpoint) {
      if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(endpoint))
        throw new AppError(
          'INVALID_INPUT',
          `"${options.endpoint}" is not an Azure Speech endpoint (such as https://my-speech.cognitiveservices.azure.com): check it in Settings › Voices.`,
        );
      this.endpoint = endpoint;
    } else if (region && /^[a-z0-9]+$/.test(region)) {
      this.endpoint = `https://${region}.tts.speech.microsoft.com`;
    } else {
      throw new AppError(
        'INVALID_INPUT',
        region
          ? `"${options.region}" is not an Azure region (such as westeurope or eastus): check it in Settings › Voices.`
          : 'Enter the Azure Speech region (such as westeurope) or endpoint in Settings › Voices.',
      );
    }
    if (!options.key?.trim())
      throw new AppError('INVALID_INPUT', 'Enter the Azure Speech key in Settings › Voices.');
    this.voiceName = options.voice?.trim() || AZURE_DEFAULT_VOICE;
    // Azure voice names start with their locale: "en-US-AvaMultilingualNeural".
    const locale = /^([a-z]{2,3}-[A-Za-z]{2,4})-/.exec(this.voiceName)?.[1];
    if (!locale)
      throw new AppError(
        'INVALID_INPUT',
        `"${this.voiceName}" is not an Azure voice name (such as ${AZURE_DEFAULT_VOICE}): check it in Settings › Voices.`,
      );
    this.voice = {
      id: `azure:${this.voiceName}`,
      engine: 'azure',
      label: `${this.voiceName.slice(locale.length + 1).replace(/Neural$/, '')} (Azure)`,
      language: locale.toLowerCase(),
      sampleRate: AZURE_SAMPLE_RATE,
      cloud: true,
      wordTimings: false,
    };
    this.errors = new CloudErrors('azure-speech', [options.key, options.key.trim()]);
  }

  async synthesize(sentence: string, options: SynthesizeOptions = {}): Promise<SynthesizedSpeech> {
    const speed = checkSynthesisInput(sentence, options);
    if (this.closed) throw new AppError('ENGINE_UNAVAILABLE', 'This Azure Speech connection was closed.');
    const { signal } = options;
    if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const timeout = AbortSignal.timeout(RESPONSE_TIMEOUT_MS);
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await fetch(`${this.endpoint}/cognitiveservices/v1`, {
        method: 'POST',
        headers: {
          'Ocp-Apim-Subscription-Key': this.options.key.trim(),
          'Content-Type': 'application/ssml+xml',
          'X-Microsoft-OutputFormat': OUTPUT_FORMAT,
          'User-Agent': 'LittleMonster',
        },
        body: sentenceSsml(sentence, this.voiceName, this.voice.language, speed),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      body = await response.arrayBuffer();
    } catch (error) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      if (timeout.aborted)
        throw this.errors.error(
          'ENGINE_UNAVAILABLE',
          `Azure Speech (${this.host}) did not answer in time: try again in a few minutes.`,
        );
      if (isNetworkFailure(error))
        throw this.errors.error(
          'ENGINE_UNAVAILABLE',
          `Cannot reach Azure Speech (${this.host}): check the internet connection and the region or endpoint in Settings › Voices.`,
        );
      throw this.errors.error(
        'ENGINE_UNAVAILABLE',
        'Azure Speech could not answer right now: try again in a few minutes.',
        {
          reason: (error as Error).message,
        },
      );
    }
    if (!response.ok) throw this.httpError(response, Buffer.from(body).toString('utf8'));
    if (body.byteLength < 2)
      throw this.errors.error(
        'ENGINE_UNAVAILABLE',
        'Azure Speech sent no audio for this sentence: try again.',
      );
    const pcm = new DataView(body);
    const samples = new Float32Array(body.byteLength >> 1);
    for (let i = 0; i < samples.length; i++) samples[i] = pcm.getInt16(i * 2, true) / 32768;
    return { samples, sampleRate: AZURE_SAMPLE_RATE, words: null };
  }

  async close(): Promise<void> {
    this.closed = true; // fetch-based: nothing stays open between sentences
  }

  private get host(): string {
    return new URL(this.endpoint).host;
  }

  /** A student-readable AppError for an HTTP error answer (its body may echo anything: redacted). */
  private httpError(response: Response, body: string): AppError {
    const status = response.status;
    const details = { status, reason: body.slice(0, 300) };
    switch (status) {
      case 401:
        return this.errors.error(
          'UNAUTHORIZED',
          'Azure Speech refused the key: check it in Settings › Voices.',
          details,
        );
      case 403:
        return this.errors.error(
          'UNAUTHORIZED',
          "Azure Speech refused access: check the key and the Speech resource's network settings.",
          details,
        );
      case 400:
        return this.errors.error(
          'INVALID_INPUT',
          `Azure Speech refused the request: check that the voice ${this.voiceName} exists in your resource's region (Settings › Voices).`,
          details,
        );
      case 404:
        return this.errors.error(
          'NOT_FOUND',
          `Azure Speech found nothing at ${this.host}: check the region or endpoint in Settings › Voices.`,
          details,
        );
      case 429:
        return this.errors.error(
          'ENGINE_UNAVAILABLE',
          'Azure Speech is busy (over its rate limit): try again in a minute.',
          {
            ...details,
            retryAfterSeconds: retryAfterSeconds((name) => response.headers.get(name)),
          },
        );
      default:
        return this.errors.error(
          'ENGINE_UNAVAILABLE',
          'Azure Speech could not answer right now: try again in a few minutes.',
          details,
        );
    }
  }
}
