import { createReadStream } from 'node:fs';
import type * as MediabunnyModule from 'mediabunny';
import type { Input, InputAudioTrack } from 'mediabunny';
import { AppError } from '../contract/index.js';
import {
  createByteStreamDecoder,
  createPacketDecoder,
  unsupportedCodec,
  type BlockDecoder,
  type ByteStreamCodec,
  type DecodedBlock,
} from './codec-decoders.js';
import { createResampler, type Resampler } from './resampler.js';
import { notAudio, sniffAudioFile, SUPPORTED_AUDIO_SENTENCE, type SniffedType } from './sniff-audio.js';

/** Speech recognition and voice activity detection both take 16 kHz mono. */
export const SPEECH_SAMPLE_RATE = 16_000;

export interface AudioStreamInfo {
  /** The container as the demuxer names it: 'MP3', 'MP4', 'WebM', 'Ogg', 'WAVE', 'FLAC'… */
  container: string;
  /** 'mp3', 'aac', 'opus', 'vorbis', 'flac', 'pcm-s16'… */
  codec: string;
  sourceSampleRate: number;
  sourceChannels: number;
  /** From the file's headers, before decoding; null when the file does not say. */
  durationSeconds: number | null;
  /** Always SPEECH_SAMPLE_RATE: every chunk is mono at this rate. */
  sampleRate: number;
}

export interface AudioStreamResult {
  /** Mono samples at `sampleRate` that were produced. */
  samples: number;
  durationSeconds: number;
  /** The file ends before its headers say it should (an interrupted recording or copy). */
  truncated: boolean;
  /** Frames the codec could not decode and skipped. */
  damagedFrames: number;
  /** Plain sentences for the student, e.g. that the file was cut short. */
  warnings: string[];
}

export interface AudioStream extends AsyncIterable<Float32Array> {
  readonly info: AudioStreamInfo;
  /** Filled in once the stream has been read to its end. */
  readonly result: AudioStreamResult | null;
  /** Releases the file and the decoders; needed only when stopping before the end. */
  close(): Promise<void>;
}

export interface OpenAudioStreamOptions {
  signal?: AbortSignal;
  /** Samples per yielded chunk (the last one may be shorter). Default: one second. */
  chunkSamples?: number;
}

const FILE_READ_BYTES = 64 * 1024;
/** Shorter than this against the header's duration counts as cut short, not rounding. */
const TRUNCATION_TOLERANCE_SECONDS = 0.5;

/**
 * Opens an audio or video file and decodes its audio as a stream of 16 kHz mono chunks, reading
 * the file a little at a time so memory stays bounded for lectures hours long. The format is
 * found from the file's bytes, never its name. Everything that can be known before decoding
 * (empty file, not audio, no audio track, unsupported codec, nothing decodable) fails here, with
 * an AppError('INVALID_INPUT') and nothing yielded.
 *
 * A file that ends early (a recording or a copy cut off) yields the audio it has and reports
 * `result.truncated`: what was recorded is still worth transcribing, and the student is told.
 */
export async function openAudioStream(
  filePath: string,
  options: OpenAudioStreamOptions = {},
): Promise<AudioStream> {
  const { signal } = options;
  const chunkSamples = options.chunkSamples ?? SPEECH_SAMPLE_RATE;
  throwIfAborted(signal);
  const sniffed = await sniffAudioFile(filePath);
  const mediabunny = await import('mediabunny');
  const input = new mediabunny.Input({
    source: new mediabunny.FilePathSource(filePath),
    formats: mediabunny.ALL_FORMATS,
  });
  let pipeline: Pipeline | null = null;
  try {
    const probed = await probe(input, filePath, sniffed, mediabunny);
    const decoder = await openDecoder(probed.byteCodec, probed.track);
    pipeline = new Pipeline(filePath, input, probed, decoder, chunkSamples, signal);
    // Decode up to the first chunk now, so a file with nothing decodable fails here, not midway.
    await pipeline.prime();
    return pipeline;
  } catch (error) {
    await (pipeline ? pipeline.close() : Promise.resolve(input.dispose()));
    throw error;
  }
}

interface Probed {
  info: AudioStreamInfo;
  track: InputAudioTrack;
  /** Set when the decoder reads the file's own bytes instead of demuxed packets. */
  byteCodec: ByteStreamCodec | null;
}

type Mediabunny = typeof MediabunnyModule;

async function probe(
  input: Input,
  path: string,
  sniffed: SniffedType | null,
  mb: Mediabunny,
): Promise<Probed> {
  let format;
  try {
    format = await input.getFormat();
  } catch (error) {
    if (error instanceof mb.UnsupportedInputFormatError || sniffed === null) {
      throw sniffed
        ? new AppError(
            'INVALID_INPUT',
            `This file is ${sniffed.ext.toUpperCase()} audio or video (${sniffed.mime}), which Little Monster cannot decode. ${SUPPORTED_AUDIO_SENTENCE}`,
            { found: sniffed.ext },
          )
        : notAudio(path, null);
    }
    throw damaged(error);
  }
  const track = await input.getPrimaryAudioTrack().catch((error: unknown) => {
    throw damaged(error);
  });
  if (!track) {
    const hasVideo = (await input.getVideoTracks().catch(() => [])).length > 0;
    throw new AppError(
      'INVALID_INPUT',
      hasVideo
        ? 'This video has no sound track, so there is nothing to transcribe.'
        : 'This file has no audio track, so there is nothing to transcribe.',
    );
  }
  const codec = track.codec;
  if (!codec) throw unsupportedCodec(null);
  // Ogg keeps it in its last page, one seek away; elsewhere only what the headers say is cheap.
  const durationSeconds =
    (await track.getDurationFromMetadata().catch(() => null)) ??
    (format === mb.OGG ? await track.computeDuration().catch(() => null) : null);
  // MP3, FLAC, ADTS AAC and Ogg Vorbis decoders frame the raw bytes themselves, which keeps fewer objects
  // alive than per-packet demuxing (mediabunny's MP3 reader holds a growing frame index).
  const byteCodec: ByteStreamCodec | null =
    format === mb.MP3 && codec === 'mp3'
      ? 'mp3'
      : format === mb.FLAC && codec === 'flac'
        ? 'flac'
        : format === mb.OGG && codec === 'vorbis'
          ? 'vorbis'
          : format === mb.ADTS && codec === 'aac'
            ? 'aac'
            : null;
  return {
    track,
    byteCodec,
    info: {
      container: format.name,
      codec,
      sourceSampleRate: track.sampleRate,
      sourceChannels: track.numberOfChannels,
      durationSeconds: durationSeconds !== null && Number.isFinite(durationSeconds) ? durationSeconds : null,
      sampleRate: SPEECH_SAMPLE_RATE,
    },
  };
}

async function openDecoder(byteCodec: ByteStreamCodec | null, track: InputAudioTrack): Promise<BlockDecoder> {
  if (byteCodec) return createByteStreamDecoder(byteCodec);
  const config = await track.getDecoderConfig().catch((error: unknown) => {
    throw damaged(error);
  });
  const description = config?.description;
  return createPacketDecoder({
    codec: track.codec ?? 'unknown',
    sampleRate: track.sampleRate,
    channels: track.numberOfChannels,
    description: description ? toBytes(description) : null,
    codecString: config?.codec ?? null,
  });
}

class Pipeline implements AudioStream {
  result: AudioStreamResult | null = null;
  readonly info: AudioStreamInfo;
  private readonly inputs: AsyncIterator<Uint8Array>;
  private resampler: Resampler | null = null;
  private pending: Float32Array[] = [];
  private pendingSamples = 0;
  private produced = 0;
  private ended = false;
  private closed = false;
  private iterated = false;
  private readError: unknown = null;
  private primed: Float32Array | null = null;

  constructor(
    filePath: string,
    private readonly input: Input,
    probed: Probed,
    private readonly decoder: BlockDecoder,
    private readonly chunkSamples: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.info = probed.info;
    this.inputs = (probed.byteCodec ? fileChunks(filePath) : packets(probed.track))[Symbol.asyncIterator]();
  }

  async prime(): Promise<void> {
    this.primed = await this.nextChunk();
    if (this.primed === null && this.produced === 0) {
      throw new AppError(
        'INVALID_INPUT',
        this.decoder.damaged > 0 || this.readError
          ? 'The audio in this file is damaged: none of it could be decoded.'
          : 'This file contains no audio samples.',
      );
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Float32Array> {
    if (this.iterated) throw new Error('An audio stream can be read only once');
    this.iterated = true;
    try {
      if (this.primed) yield this.primed;
      this.primed = null;
      for (let chunk = await this.nextChunk(); chunk; chunk = await this.nextChunk()) yield chunk;
      this.finish();
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.decoder.free();
    this.resampler?.close();
    await this.inputs.return?.().catch(() => undefined);
    this.input.dispose();
  }

  /** The next chunk of at least chunkSamples (shorter only at the end), or null at the end. */
  private async nextChunk(): Promise<Float32Array | null> {
    while (this.pendingSamples < this.chunkSamples && !this.ended) {
      throwIfAborted(this.signal);
      const next = await this.readInput();
      if (next === null) {
        this.ended = true;
        await this.accept(await this.decoder.flush());
        if (this.resampler) this.queue(this.resampler.flush());
      } else {
        await this.accept(await this.decoder.decode(next));
      }
    }
    if (this.pendingSamples === 0) return null;
    const chunk = this.take(Math.min(this.chunkSamples, this.pendingSamples));
    this.produced += chunk.length;
    return chunk;
  }

  /** Copies `count` samples off the front of the queue, touching only the blocks it needs. */
  private take(count: number): Float32Array {
    const head = this.pending[0]!;
    if (head.length === count) {
      this.pending.shift();
      this.pendingSamples -= count;
      return head;
    }
    const chunk = new Float32Array(count);
    let filled = 0;
    while (filled < count) {
      const block = this.pending[0]!;
      const used = Math.min(block.length, count - filled);
      chunk.set(block.subarray(0, used), filled);
      filled += used;
      if (used === block.length) this.pending.shift();
      else this.pending[0] = block.subarray(used);
    }
    this.pendingSamples -= count;
    return chunk;
  }

  /** A demuxing or reading error after audio started means the file ends early: keep what came before. */
  private async readInput(): Promise<Uint8Array | null> {
    try {
      const next = await this.inputs.next();
      return next.done ? null : next.value;
    } catch (error) {
      this.readError = error;
      return null;
    }
  }

  private async accept(block: DecodedBlock | null): Promise<void> {
    if (!block) return;
    const mono = downmix(block.channelData);
    if (this.resampler?.inputRate !== block.sampleRate) {
      // A stream can change rate midway (joined MP3s): finish the old filter, start a new one.
      if (this.resampler) {
        this.queue(this.resampler.flush());
        this.resampler.close();
      }
      this.resampler = await createResampler(block.sampleRate, SPEECH_SAMPLE_RATE);
    }
    this.queue(this.resampler.push(mono));
  }

  private queue(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.pending.push(samples);
    this.pendingSamples += samples.length;
  }

  private finish(): void {
    const samples = this.produced;
    const durationSeconds = samples / SPEECH_SAMPLE_RATE;
    const expected = this.info.durationSeconds;
    const truncated =
      this.readError !== null ||
      (expected !== null && durationSeconds < expected - TRUNCATION_TOLERANCE_SECONDS);
    const warnings: string[] = [];
    if (truncated) {
      warnings.push(
        expected !== null && expected > durationSeconds
          ? `This file ends early: ${formatTime(durationSeconds)} of its ${formatTime(expected)} could be read. It may have been cut off while recording or copying.`
          : `This file ends early after ${formatTime(durationSeconds)}. It may have been cut off while recording or copying.`,
      );
    }
    if (this.decoder.damaged > 0) {
      warnings.push(`${this.decoder.damaged} damaged piece(s) of audio were skipped.`);
    }
    this.result = { samples, durationSeconds, truncated, damagedFrames: this.decoder.damaged, warnings };
  }
}

async function* packets(track: InputAudioTrack): AsyncGenerator<Uint8Array> {
  const { EncodedPacketSink } = await import('mediabunny');
  for await (const packet of new EncodedPacketSink(track).packets()) yield packet.data;
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: FILE_READ_BYTES });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  if (channels.length === 2) {
    // The common case (and mpg123 always gives two): one pass.
    const [left, right] = channels as [Float32Array, Float32Array];
    const mono = new Float32Array(left.length);
    for (let index = 0; index < mono.length; index++) mono[index] = (left[index]! + right[index]!) * 0.5;
    return mono;
  }
  const length = channels[0]!.length;
  const mono = new Float32Array(length);
  for (const channel of channels) {
    for (let index = 0; index < length; index++) mono[index]! += channel[index]!;
  }
  const scale = 1 / channels.length;
  for (let index = 0; index < length; index++) mono[index]! *= scale;
  return mono;
}

function toBytes(source: ArrayBufferLike | ArrayBufferView): Uint8Array {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return new Uint8Array(source);
}

function damaged(error: unknown): AppError {
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError(
    'INVALID_INPUT',
    'This file looks like audio or video but is damaged or incomplete, so it cannot be read. If it was copied or downloaded, try again from the original.',
    { detail },
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'Reading the audio was cancelled.');
}

function formatTime(seconds: number): string {
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
