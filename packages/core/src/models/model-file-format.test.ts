import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelFormat } from '../contract/models.js';
import { tempDir } from '../test-support/temp-core.js';
import { checkModelFile } from './model-file-format.js';
import { ggufModel, onnxModel, pngImage, whisperGgmlModel } from './test-support/model-fixtures.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('lm-model-format-');
});
afterEach(() => dir.remove());

function file(name: string, bytes: Buffer): string {
  const path = join(dir.path, name);
  writeFileSync(path, bytes);
  return path;
}

/** The message of the INVALID_INPUT error `checkModelFile` throws. */
async function refusal(path: string, format: ModelFormat): Promise<string> {
  const error = await checkModelFile(path, format).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ code: 'INVALID_INPUT' });
  return (error as Error).message;
}

describe('model file format checks', () => {
  it('accepts a complete GGUF model and reads its architecture and counts', async () => {
    const info = await checkModelFile(file('model.gguf', ggufModel({ payloadBytes: 10_000 })), 'gguf');
    expect(info).toEqual({
      format: 'gguf',
      version: 3,
      tensorCount: 2,
      metadataCount: 5,
      architecture: 'bert',
    });
  });

  it('judges by content, not by name: a PNG renamed .gguf is refused and named', async () => {
    expect(await refusal(file('photo.gguf', pngImage()), 'gguf')).toBe(
      'This file is not a GGUF model (it starts like a PNG image). Choose the model file itself.',
    );
  });

  it('says a cut-off GGUF is truncated, whether it ends in the tensor data or in the metadata', async () => {
    const whole = ggufModel({ payloadBytes: 10_000 });
    const inData = await refusal(file('half.gguf', whole.subarray(0, whole.length - 100)), 'gguf');
    expect(inData).toMatch(/^The file is truncated: it has [\d,]+ bytes but its header describes at least/);
    expect(inData).toContain('get the file again');
    expect(await refusal(file('head.gguf', whole.subarray(0, 60)), 'gguf')).toMatch(/^The file is truncated/);
  });

  it('refuses GGUF version 1 and headers no real model has', async () => {
    expect(await refusal(file('v1.gguf', ggufModel({ version: 1 })), 'gguf')).toContain('version 1');
    const garbage = ggufModel();
    garbage.writeBigUInt64LE(10n ** 12n, 8);
    expect(await refusal(file('garbage.gguf', garbage), 'gguf')).toMatch(/damaged: .*no real model has/);
  });

  it('explains the usual wrong files: empty, an error web page, a Git LFS pointer, an archive', async () => {
    expect(await refusal(file('empty.gguf', Buffer.alloc(0)), 'gguf')).toBe(
      'The file is empty, so it is not a GGUF model.',
    );
    const page = Buffer.from('<!DOCTYPE html><html><body>Rate limited</body></html>');
    expect(await refusal(file('page.gguf', page), 'gguf')).toContain('like a web page');
    const pointer = Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n');
    expect(await refusal(file('pointer.gguf', pointer), 'gguf')).toContain('Git LFS pointer');
    expect(await refusal(file('model.zip', Buffer.from('PK\x03\x04rest', 'latin1')), 'onnx')).toContain(
      'ZIP archive',
    );
    expect(await refusal(file('odd.bin', Buffer.from('0102030405060708', 'hex')), 'gguf')).toBe(
      'This file is not a GGUF model (it starts with the bytes 01 02 03 04 05 06 07 08 ("........")). Choose the model file itself.',
    );
  });

  it('accepts a whole whisper.cpp model and refuses one that is cut off or implausible', async () => {
    const whole = whisperGgmlModel({ audioLayers: 2, textLayers: 1 });
    expect(await checkModelFile(file('ggml-base.bin', whole), 'ggml-whisper')).toMatchObject({
      format: 'ggml-whisper',
      audioLayers: 2,
      tensorCount: 11 + 2 * 15 + 24,
    });
    // Cut inside a tensor, and cut cleanly between two tensors: both are incomplete.
    expect(await refusal(file('cut.bin', whole.subarray(0, whole.length - 5)), 'ggml-whisper')).toMatch(
      /^The file is truncated/,
    );
    const betweenTensors = whole.length - (4 * 3 + 4 + 'decoder.blocks.0.mlp.2.bias'.length + 16);
    expect(await refusal(file('short.bin', whole.subarray(0, betweenTensors)), 'ggml-whisper')).toContain(
      'of the 65 weight tensors',
    );
    const odd = Buffer.from(whole);
    odd.writeInt32LE(-5, 4 * 3); // n_audio_state
    expect(await refusal(file('odd.bin', odd), 'ggml-whisper')).toMatch(/damaged: its n_audio_state \(-5\)/);
    expect(await refusal(file('model.gguf', ggufModel()), 'ggml-whisper')).toContain(
      '(it starts like a GGUF model)',
    );
  });

  it('accepts an ONNX model and refuses one without a graph, a cut-off one, and other formats', async () => {
    expect(await checkModelFile(file('voice.onnx', onnxModel()), 'onnx')).toEqual({
      format: 'onnx',
      irVersion: 8,
      fieldCount: 4,
    });
    expect(await refusal(file('nograph.onnx', onnxModel({ withGraph: false })), 'onnx')).toContain(
      'has no graph',
    );
    const whole = onnxModel();
    expect(await refusal(file('cut.onnx', whole.subarray(0, whole.length - 3)), 'onnx')).toMatch(
      /^The file is truncated/,
    );
    expect(await refusal(file('model.onnx', ggufModel()), 'onnx')).toBe(
      'This file is not an ONNX model (it starts like a GGUF model). Choose the model file itself.',
    );
  });
});
