import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../contract/index.js';

/** 16-bit PCM WAV: what the recorder stores before compressing, and what tests feed the engine. */
export interface PcmAudio {
  sampleRate: number;
  /** One Float32Array per channel, samples in [-1, 1]. */
  channels: Float32Array[];
}

const HEADER_BYTES = 44;
/** RIFF and data sizes written while a recording is still open: readers take "to the end of the file". */
const OPEN_ENDED_SIZE = 0xffffffff;

/** A complete 16-bit PCM WAV file in memory. */
export function encodeWav(audio: PcmAudio): Uint8Array {
  const channelCount = audio.channels.length;
  if (channelCount === 0) throw new Error('encodeWav needs at least one channel');
  const frames = audio.channels[0]!.length;
  const dataBytes = frames * channelCount * 2;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  writeHeader(bytes, audio.sampleRate, channelCount, dataBytes);
  const view = new DataView(bytes.buffer);
  let offset = HEADER_BYTES;
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channelCount; channel++) {
      view.setInt16(offset, toInt16(audio.channels[channel]![frame]!), true);
      offset += 2;
    }
  }
  return bytes;
}

/**
 * Reads a 16-bit PCM WAV (mono or multi-channel). A data chunk whose size was never filled in (a
 * recording cut off by a crash) is read to the end of the file.
 */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') {
    throw new AppError('INVALID_INPUT', 'This is not a WAV file (no RIFF/WAVE header).');
  }
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = ascii(bytes, offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        tag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new AppError('INVALID_INPUT', 'This WAV file has its audio before its format.');
      // 0xFFFE is WAVE_FORMAT_EXTENSIBLE, whose 16-bit integer form is the same bytes.
      if ((format.tag !== 1 && format.tag !== 0xfffe) || format.bits !== 16 || format.channels === 0) {
        throw new AppError(
          'INVALID_INPUT',
          `This WAV file is not 16-bit PCM (format ${format.tag}, ${format.bits} bits); use openAudioStream for it.`,
        );
      }
      const available = bytes.byteLength - body;
      const size = declared === 0 || declared === OPEN_ENDED_SIZE ? available : Math.min(declared, available);
      const frameBytes = format.channels * 2;
      const frames = Math.floor(size / frameBytes);
      const channels = Array.from({ length: format.channels }, () => new Float32Array(frames));
      let position = body;
      for (let frame = 0; frame < frames; frame++) {
        for (const channel of channels) {
          channel[frame] = view.getInt16(position, true) / 32768;
          position += 2;
        }
      }
      return { sampleRate: format.sampleRate, channels };
    }
    offset = body + declared + (declared % 2);
  }
  throw new AppError('INVALID_INPUT', 'This WAV file has no audio data.');
}

/**
 * Writes 16-bit PCM WAV to a file as samples arrive, so memory stays small for hours of audio.
 * The header says "open-ended" until `close()` fills in the sizes; `decodeWav` and
 * `openAudioStream` read such a file to its end, so a recording cut short stays readable.
 */
export class WavFileWriter {
  private frames = 0;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly sampleRate: number,
    readonly channelCount: number,
  ) {}

  static async create(path: string, sampleRate: number, channelCount = 1): Promise<WavFileWriter> {
    const handle = await open(path, 'w');
    const header = new Uint8Array(HEADER_BYTES);
    writeHeader(header, sampleRate, channelCount, OPEN_ENDED_SIZE);
    await handle.write(header, 0, HEADER_BYTES, 0);
    return new WavFileWriter(handle, sampleRate, channelCount);
  }

  get durationSeconds(): number {
    return this.frames / this.sampleRate;
  }

  /** Appends one block: one Float32Array per channel, all the same length. */
  async write(channels: Float32Array[]): Promise<void> {
    if (this.closed) throw new Error('WavFileWriter is closed');
    if (channels.length !== this.channelCount) {
      throw new Error(`Expected ${this.channelCount} channel(s), got ${channels.length}`);
    }
    const frames = channels[0]!.length;
    const block = new Uint8Array(frames * this.channelCount * 2);
    const view = new DataView(block.buffer);
    let offset = 0;
    for (let frame = 0; frame < frames; frame++) {
      for (const channel of channels) {
        view.setInt16(offset, toInt16(channel[frame]!), true);
        offset += 2;
      }
    }
    await this.handle.write(block, 0, block.byteLength, HEADER_BYTES + this.frames * this.channelCount * 2);
    this.frames += frames;
  }

  /** Fills in the real sizes and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      const header = new Uint8Array(HEADER_BYTES);
      writeHeader(header, this.sampleRate, this.channelCount, this.frames * this.channelCount * 2);
      await this.handle.write(header, 0, HEADER_BYTES, 0);
    } finally {
      await this.handle.close();
    }
  }
}

function writeHeader(bytes: Uint8Array, sampleRate: number, channelCount: number, dataBytes: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const openEnded = dataBytes === OPEN_ENDED_SIZE;
  writeAscii(bytes, 0, 'RIFF');
  view.setUint32(4, openEnded ? OPEN_ENDED_SIZE : 36 + dataBytes, true);
  writeAscii(bytes, 8, 'WAVE');
  writeAscii(bytes, 12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // integer PCM
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channelCount * 2, true);
  view.setUint16(32, channelCount * 2, true);
  view.setUint16(34, 16, true);
  writeAscii(bytes, 36, 'data');
  view.setUint32(40, dataBytes, true);
}

function toInt16(sample: number): number {
  const clipped = Math.max(-1, Math.min(1, sample));
  return clipped < 0 ? Math.round(clipped * 32768) : Math.round(clipped * 32767);
}

const ascii = (bytes: Uint8Array, offset: number) =>
  String.fromCharCode(...bytes.subarray(offset, offset + 4));

function writeAscii(bytes: Uint8Array, offset: number, text: string): void {
  for (let index = 0; index < text.length; index++) bytes[offset + index] = text.charCodeAt(index);
}
