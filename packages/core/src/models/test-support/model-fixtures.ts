/**
 * Small model files with the real layouts (GGUF, whisper.cpp ggml, ONNX protobuf), filled with
 * seeded random bytes, for the model manager's tests. Deterministic: same options, same bytes.
 */
import { createHash } from 'node:crypto';
import { CatalogSchema, type Catalog, type CatalogEntry } from '../catalog.js';

/** mulberry32: a tiny seeded PRNG, enough for reproducible filler bytes. */
export function seededBytes(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count);
  let state = seed >>> 0;
  for (let index = 0; index < count; index += 4) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = (t ^ (t >>> 14)) >>> 0;
    for (let byte = 0; byte < 4 && index + byte < count; byte++)
      out[index + byte] = (value >>> (byte * 8)) & 0xff;
  }
  return out;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

class LittleEndianWriter {
  private readonly parts: Buffer[] = [];
  length = 0;

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }
  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    return this.raw(b);
  }
  i32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    return this.raw(b);
  }
  u64(value: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    return this.raw(b);
  }
  f32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    return this.raw(b);
  }
  ggufString(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    return this.u64(bytes.length).raw(bytes);
  }
  pad(multiple: number): this {
    const extra = (multiple - (this.length % multiple)) % multiple;
    return this.raw(Buffer.alloc(extra));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface GgufOptions {
  /** Bytes of the main F32 tensor's data (rounded down to whole floats); sets the file size. */
  payloadBytes?: number;
  seed?: number;
  version?: number;
  architecture?: string;
}

/** A GGUF v3 file: metadata of several types (string, u32, f32 array, string array) and two tensors. */
export function ggufModel(options: GgufOptions = {}): Buffer {
  const { payloadBytes = 4096, seed = 1, version = 3, architecture = 'bert' } = options;
  const values = Math.max(1, Math.floor(payloadBytes / 4));
  const tokens = ['[PAD]', '[UNK]', 'the', 'mitochondria', 'is', 'powerhouse'];
  const q8Values = 64;
  const q8Bytes = (q8Values / 32) * 34;
  const writer = new LittleEndianWriter().raw(Buffer.from('GGUF', 'latin1')).u32(version).u64(2).u64(5);
  writer.ggufString('general.architecture').u32(8).ggufString(architecture);
  writer.ggufString('general.name').u32(8).ggufString('Little Monster test model');
  writer.ggufString(`${architecture}.context_length`).u32(4).u32(512);
  writer.ggufString('tokenizer.ggml.scores').u32(9).u32(6).u64(tokens.length);
  for (const [index] of tokens.entries()) writer.f32(-index);
  writer.ggufString('tokenizer.ggml.tokens').u32(9).u32(8).u64(tokens.length);
  for (const token of tokens) writer.ggufString(token);

  const firstSize = values * 4;
  const secondOffset = Math.ceil(firstSize / 32) * 32;
  writer.ggufString('token_embd.weight').u32(1).u64(values).u32(0).u64(0);
  writer.ggufString('blk.0.attn_q.weight').u32(2).u64(32).u64(2).u32(8).u64(secondOffset);
  writer.pad(32);
  writer.raw(seededBytes(firstSize, seed)).pad(32);
  writer.raw(seededBytes(q8Bytes, seed + 1)).pad(32);
  return writer.toBuffer();
}

export interface WhisperOptions {
  audioLayers?: number;
  textLayers?: number;
  seed?: number;
}

/** A whisper.cpp ggml file with every tensor a model of its shape has (tiny 1-D F32 tensors). */
export function whisperGgmlModel(options: WhisperOptions = {}): Buffer {
  const { audioLayers = 1, textLayers = 1, seed = 7 } = options;
  const state = 4;
  const writer = new LittleEndianWriter().u32(0x67676d6c);
  // n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
  for (const value of [8, 4, state, 1, audioLayers, 4, state, 1, textLayers, 2, 1]) writer.i32(value);
  writer.i32(2).i32(3);
  for (let index = 0; index < 6; index++) writer.f32(index / 6);
  writer.i32(8);
  for (let token = 0; token < 8; token++) {
    const bytes = Buffer.from(`tok${token}`);
    writer.i32(bytes.length).raw(bytes);
  }
  const names = [
    'encoder.positional_embedding',
    'encoder.conv1.weight',
    'encoder.conv1.bias',
    'encoder.conv2.weight',
    'encoder.conv2.bias',
    'encoder.ln_post.weight',
    'encoder.ln_post.bias',
    'decoder.positional_embedding',
    'decoder.token_embedding.weight',
    'decoder.ln.weight',
    'decoder.ln.bias',
  ];
  const attention = (prefix: string) => [
    `${prefix}.query.weight`,
    `${prefix}.query.bias`,
    `${prefix}.key.weight`,
    `${prefix}.value.weight`,
    `${prefix}.value.bias`,
    `${prefix}.out.weight`,
    `${prefix}.out.bias`,
  ];
  const mlp = (block: string) =>
    ['mlp_ln', 'mlp.0', 'mlp.2'].flatMap((part) => [`${block}.${part}.weight`, `${block}.${part}.bias`]);
  for (let layer = 0; layer < audioLayers; layer++) {
    const block = `encoder.blocks.${layer}`;
    names.push(
      `${block}.attn_ln.weight`,
      `${block}.attn_ln.bias`,
      ...attention(`${block}.attn`),
      ...mlp(block),
    );
  }
  for (let layer = 0; layer < textLayers; layer++) {
    const block = `decoder.blocks.${layer}`;
    names.push(
      `${block}.attn_ln.weight`,
      `${block}.attn_ln.bias`,
      ...attention(`${block}.attn`),
      `${block}.cross_attn_ln.weight`,
      `${block}.cross_attn_ln.bias`,
      ...attention(`${block}.cross_attn`),
      ...mlp(block),
    );
  }
  names.forEach((name, index) => {
    const nameBytes = Buffer.from(name);
    writer.i32(1).i32(nameBytes.length).i32(0).i32(state).raw(nameBytes);
    writer.raw(seededBytes(state * 4, seed + index));
  });
  return writer.toBuffer();
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

const lengthField = (field: number, payload: Buffer) =>
  Buffer.concat([varint(field * 8 + 2), varint(payload.length), payload]);
const varintField = (field: number, value: number) => Buffer.concat([varint(field * 8), varint(value)]);

/** An ONNX ModelProto: ir_version, producer, a graph with one Identity node, opset 17. */
export function onnxModel(options: { withGraph?: boolean } = {}): Buffer {
  const node = Buffer.concat([
    lengthField(1, Buffer.from('input')),
    lengthField(2, Buffer.from('output')),
    lengthField(4, Buffer.from('Identity')),
  ]);
  const graph = Buffer.concat([lengthField(1, node), lengthField(2, Buffer.from('test-graph'))]);
  return Buffer.concat([
    varintField(1, 8),
    lengthField(2, Buffer.from('little-monster-tests')),
    ...(options.withGraph === false ? [] : [lengthField(7, graph)]),
    lengthField(8, varintField(2, 17)),
  ]);
}

/** The start of a real PNG (signature and IHDR chunk), for "this is not a model" tests. */
export function pngImage(): Buffer {
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
    seededBytes(64, 3),
  ]);
}

/** A one-model catalog serving `model` from `url`, as the tests' model server offers it. */
export function testCatalog(url: string, model: Buffer, overrides: Partial<CatalogEntry> = {}): Catalog {
  return CatalogSchema.parse({
    version: 1,
    models: [
      {
        id: 'test-embedder',
        kind: 'embedding',
        name: 'Test Embedder',
        description: 'A small generated model.',
        url,
        fileName: 'test-embedder.gguf',
        bytes: model.length,
        sha256: sha256(model),
        license: 'MIT',
        ramBytes: 512 * 1024 * 1024,
        format: 'gguf',
        verified: true,
        ...overrides,
      },
    ],
  });
}
