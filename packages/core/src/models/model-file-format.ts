import { open } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import type { ModelFormat } from '../contract/models.js';
import { DamagedModelError, SequentialFileReader, TruncatedFileError } from './file-reader.js';
import { GGUF_MAGIC, inspectGguf, type GgufInfo } from './gguf-header.js';
import { inspectOnnx, ONNX_FIRST_BYTE, type OnnxInfo } from './onnx-header.js';
import { inspectWhisperGgml, WHISPER_GGML_MAGIC, type WhisperInfo } from './whisper-ggml-header.js';

export type ModelFileInfo =
  | ({ format: 'gguf' } & GgufInfo)
  | ({ format: 'ggml-whisper' } & WhisperInfo)
  | ({ format: 'onnx' } & OnnxInfo);

const FORMAT_NAMES: Record<ModelFormat, string> = {
  gguf: 'a GGUF model',
  'ggml-whisper': 'a whisper.cpp (ggml) model',
  onnx: 'an ONNX model',
};

const HEAD_BYTES = 64;

/**
 * Checks that the file at `path` is a complete model of `format`, judging by its contents, never
 * its name. Throws INVALID_INPUT with a sentence a student can act on.
 */
export async function checkModelFile(path: string, format: ModelFormat): Promise<ModelFileInfo> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw invalid(`The file is empty, so it is not ${FORMAT_NAMES[format]}.`);
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    if (!hasMagic(head, format)) {
      throw invalid(
        `This file is not ${FORMAT_NAMES[format]} (it starts ${describeStart(head)}). Choose the model file itself.`,
      );
    }
    const reader = new SequentialFileReader(handle, size);
    try {
      return await inspect(reader, format);
    } catch (error) {
      if (error instanceof TruncatedFileError) {
        const detail =
          error.neededBytes === null
            ? error.message
            : `it has ${size.toLocaleString('en')} bytes but its header describes at least ${error.neededBytes.toLocaleString('en')}`;
        throw invalid(
          `The file is truncated: ${detail}. It is probably an unfinished download or copy; get the file again.`,
        );
      }
      if (error instanceof DamagedModelError) {
        throw invalid(
          `The file looks like ${FORMAT_NAMES[format]} but is damaged: ${error.message}. Get the file again.`,
        );
      }
      throw error;
    }
  } finally {
    await handle.close();
  }
}

async function inspect(reader: SequentialFileReader, format: ModelFormat): Promise<ModelFileInfo> {
  switch (format) {
    case 'gguf':
      return { format, ...(await inspectGguf(reader)) };
    case 'ggml-whisper':
      return { format, ...(await inspectWhisperGgml(reader)) };
    case 'onnx':
      return { format, ...(await inspectOnnx(reader)) };
  }
}

function hasMagic(head: Buffer, format: ModelFormat): boolean {
  switch (format) {
    case 'gguf':
      return head.subarray(0, 4).equals(GGUF_MAGIC);
    case 'ggml-whisper':
      return head.length >= 4 && head.readUInt32LE(0) === WHISPER_GGML_MAGIC;
    case 'onnx':
      return head[0] === ONNX_FIRST_BYTE;
  }
}

const SIGNATURES: [string, (head: Buffer, text: string) => boolean][] = [
  ['like a PNG image', (head) => head.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))],
  ['like a JPEG image', (head) => head.subarray(0, 3).equals(Buffer.from('ffd8ff', 'hex'))],
  ['like a PDF document', (_head, text) => text.startsWith('%PDF')],
  ['like a ZIP archive (unpack it first)', (_head, text) => text.startsWith('PK\x03\x04')],
  ['like a gzip archive (unpack it first)', (head) => head[0] === 0x1f && head[1] === 0x8b],
  ['like a GGUF model', (head) => head.subarray(0, 4).equals(GGUF_MAGIC)],
  ['like a whisper.cpp model', (head) => head.length >= 4 && head.readUInt32LE(0) === WHISPER_GGML_MAGIC],
  [
    'like a Git LFS pointer: a small text file that stands in for the real model',
    (_head, text) => text.startsWith('version https://git-lfs'),
  ],
  [
    'like a web page, perhaps an error page saved instead of the model',
    (_head, text) => /^\s*<(!doctype|html|\?xml)/i.test(text),
  ],
  ['like a safetensors file', (head) => head.length > 9 && head[8] === 0x7b && head.readUInt32LE(4) === 0],
  ['like JSON text', (_head, text) => /^\s*[{[]/.test(text)],
];

/** "like a PNG image", or the first bytes in hex with any readable text. */
export function describeStart(head: Buffer): string {
  const text = head.toString('latin1');
  for (const [description, matches] of SIGNATURES) if (matches(head, text)) return description;
  const first = head.subarray(0, 8);
  const hex = [...first].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
  const readable = first.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return `with the bytes ${hex} ("${readable}")`;
}

const invalid = (message: string) => new AppError('INVALID_INPUT', message);
