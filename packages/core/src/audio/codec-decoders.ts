import { AppError } from '../contract/index.js';
import { decodePcm, type PcmCodec, PCM_CODECS } from './pcm.js';

/** Decoded samples of one block, planar, at the codec's own rate. */
export interface DecodedBlock {
  channelData: Float32Array[];
  sampleRate: number;
}

/**
 * One decoder over a stream of inputs: compressed packets from a demuxer, or raw file bytes for
 * the self-framing formats. Damaged input is skipped and counted, not thrown, so one bad frame
 * in a two-hour lecture does not lose the rest.
 */
export interface BlockDecoder {
  decode(input: Uint8Array): Promise<DecodedBlock | null>;
  flush(): Promise<DecodedBlock | null>;
  free(): void;
  /** Inputs the codec could not decode so far. */
  readonly damaged: number;
}

export interface TrackDescription {
  codec: string;
  sampleRate: number;
  channels: number;
  /** Codec setup from the container (AudioSpecificConfig, OpusHead…), if any. */
  description: Uint8Array | null;
  /** `mp4a.40.2`-style codec string, for AAC without a description (ADTS). */
  codecString: string | null;
}

/** Rate Opus decodes to directly: libopus synthesises any of 8/12/16/24/48 kHz, so no resampling. */
export const OPUS_OUTPUT_RATE = 16_000;

/** Codecs decoded packet by packet after a container demuxer. */
export async function createPacketDecoder(track: TrackDescription): Promise<BlockDecoder> {
  if ((PCM_CODECS as readonly string[]).includes(track.codec)) {
    return pcmDecoder(track.codec as PcmCodec, track.channels, track.sampleRate);
  }
  switch (track.codec) {
    case 'aac':
      return aacDecoder(track);
    case 'opus':
      return opusDecoder(track);
    case 'mp3':
      return mp3Decoder('frames');
    case 'flac':
      return flacDecoder('frames');
    default:
      throw unsupportedCodec(track.codec);
  }
}

/** Formats whose decoders find their own frames in the raw file bytes, read front to back. */
export type ByteStreamCodec = 'mp3' | 'flac' | 'vorbis' | 'aac';

export function createByteStreamDecoder(codec: ByteStreamCodec): Promise<BlockDecoder> {
  if (codec === 'mp3') return mp3Decoder('bytes');
  if (codec === 'flac') return flacDecoder('bytes');
  if (codec === 'aac') return aacDecoder(null);
  return vorbisDecoder();
}

const CODEC_NAMES: Record<string, string> = {
  vorbis: 'Vorbis audio inside a WebM/MKV file',
  ac3: 'Dolby Digital (AC-3) audio',
  eac3: 'Dolby Digital Plus (E-AC-3) audio',
  dts: 'DTS audio',
};

export function unsupportedCodec(codec: string | null): AppError {
  const name =
    (codec && CODEC_NAMES[codec]) ??
    (codec ? `audio in the ${codec} format` : 'audio in a format it does not know');
  return new AppError(
    'INVALID_INPUT',
    `This file contains ${name}, which Little Monster cannot decode. Convert it to MP3, M4A, Opus or WAV and import that.`,
    { codec },
  );
}

interface CodecOutput {
  channelData: Float32Array[];
  samplesDecoded?: number;
  sampleRate: number;
  errors?: unknown[];
}

/** Trims the codec's planar output to the samples it says are real, or null when there are none. */
function block(output: CodecOutput | null | undefined): DecodedBlock | null {
  if (!output?.channelData.length) return null;
  const length = output.samplesDecoded ?? output.channelData[0]!.length;
  if (length === 0 || !output.sampleRate) return null;
  return {
    channelData: output.channelData.map((channel) =>
      channel.length === length ? channel : channel.subarray(0, length),
    ),
    sampleRate: output.sampleRate,
  };
}

/** Wraps a codec call: thrown errors and reported frame errors count as damage. */
function guarded(
  decodeOne: (input: Uint8Array) => CodecOutput | Promise<CodecOutput>,
  flushAll: () => CodecOutput | null | Promise<CodecOutput | null>,
  free: () => void,
): BlockDecoder {
  let damaged = 0;
  let freed = false;
  return {
    get damaged() {
      return damaged;
    },
    async decode(input) {
      try {
        const output = await decodeOne(input);
        damaged += output.errors?.length ?? 0;
        return block(output);
      } catch {
        damaged += 1;
        return null;
      }
    },
    async flush() {
      try {
        return block(await flushAll());
      } catch {
        damaged += 1;
        return null;
      }
    },
    free() {
      if (freed) return;
      freed = true;
      free();
    },
  };
}

/** With a track: raw access units after a demuxer. Without: an ADTS byte stream, whose frame headers carry the setup. */
async function aacDecoder(track: TrackDescription | null): Promise<BlockDecoder> {
  const { decoder } = await import('@audio/decode-aac');
  const codec = track
    ? await decoder({ asc: track.description ?? audioSpecificConfig(track) })
    : await decoder();
  return guarded(
    (data) => codec.decode(track ? [data] : data),
    () => codec.flush(),
    () => codec.free(),
  );
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/**
 * ADTS streams carry their setup in every frame header instead of a description; the demuxer
 * hands us the fields, and these two bytes (ISO 14496-3 §1.6.2.1) are what the decoder expects.
 */
function audioSpecificConfig(track: TrackDescription): Uint8Array {
  const objectType = Number(/^mp4a\.40\.(\d+)$/.exec(track.codecString ?? '')?.[1] ?? 2);
  const rateIndex = AAC_RATES.indexOf(track.sampleRate);
  if (rateIndex < 0 || objectType > 31 || track.channels > 7) throw unsupportedCodec('aac');
  return new Uint8Array([
    (objectType << 3) | (rateIndex >> 1),
    ((rateIndex & 1) << 7) | (track.channels << 3),
  ]);
}

async function opusDecoder(track: TrackDescription): Promise<BlockDecoder> {
  const { OpusDecoder } = await import('opus-decoder');
  const codec = new OpusDecoder({ sampleRate: OPUS_OUTPUT_RATE, ...opusHead(track) });
  await codec.ready;
  return guarded(
    (packet) => codec.decodeFrame(packet),
    () => null,
    () => codec.free(),
  );
}

/** The OpusHead fields the decoder needs (RFC 7845 §5.1): channel mapping and the encoder's pre-skip. */
function opusHead(track: TrackDescription) {
  const head = track.description;
  const fallback = { channels: Math.min(track.channels, 2), preSkip: 0 };
  if (!head || head.byteLength < 19 || String.fromCharCode(...head.subarray(0, 8)) !== 'OpusHead')
    return fallback;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const channels = head[9]!;
  // Pre-skip counts 48 kHz samples whatever the output rate; the decoder skips output samples.
  const preSkip = Math.round((view.getUint16(10, true) * OPUS_OUTPUT_RATE) / 48_000);
  const family = head[18]!;
  if (family === 0 || head.byteLength < 21 + channels) return { channels, preSkip };
  return {
    channels,
    preSkip,
    streamCount: head[19]!,
    coupledStreamCount: head[20]!,
    channelMappingTable: [...head.subarray(21, 21 + channels)],
  };
}

async function mp3Decoder(input: 'bytes' | 'frames'): Promise<BlockDecoder> {
  const { MPEGDecoder } = await import('mpg123-decoder');
  const codec = new MPEGDecoder();
  await codec.ready;
  return guarded(
    (data) => (input === 'bytes' ? codec.decode(data) : codec.decodeFrame(data)),
    () => null,
    () => codec.free(),
  );
}

async function flacDecoder(input: 'bytes' | 'frames'): Promise<BlockDecoder> {
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const codec = new FLACDecoder();
  await codec.ready;
  return guarded(
    (data) => (input === 'bytes' ? codec.decode(data) : codec.decodeFrames([data])),
    () => (input === 'bytes' ? codec.flush() : null),
    () => codec.free(),
  );
}

async function vorbisDecoder(): Promise<BlockDecoder> {
  const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
  const codec = new OggVorbisDecoder();
  await codec.ready;
  return guarded(
    (data) => codec.decode(data),
    () => codec.flush(),
    () => codec.free(),
  );
}

function pcmDecoder(codec: PcmCodec, channels: number, sampleRate: number): BlockDecoder {
  return guarded(
    (packet) => ({ channelData: decodePcm(packet, codec, channels), sampleRate }),
    () => null,
    () => {},
  );
}
