import { DamagedModelError, TruncatedFileError, type SequentialFileReader } from './file-reader.js';
import { ggmlTensorBytes } from './ggml-types.js';

export const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');

export interface GgufInfo {
  version: number;
  tensorCount: number;
  metadataCount: number;
  /** `general.architecture` ("llama", "bert", ...), when present. */
  architecture: string | null;
}

// Far beyond any real model; a count past these means the header is garbage.
const MAX_COUNT = 1_000_000n;
const MAX_ARRAY_LENGTH = 100_000_000n;
const MAX_STRING_BYTES = 64n * 1024n * 1024n;
const MAX_DIMS = 4;

const FIXED_SIZES: Readonly<Record<number, number>> = {
  0: 1, // u8
  1: 1, // i8
  2: 2, // u16
  3: 2, // i16
  4: 4, // u32
  5: 4, // i32
  6: 4, // f32
  7: 1, // bool
  10: 8, // u64
  11: 8, // i64
  12: 8, // f64
};
const STRING = 8;
const ARRAY = 9;

/**
 * Walks a whole GGUF header (metadata and tensor table) and checks that the file is long enough
 * for every tensor it declares, so a cut-off download is caught here rather than by the engine.
 */
export async function inspectGguf(reader: SequentialFileReader): Promise<GgufInfo> {
  const magic = await reader.bytes(4);
  if (!magic.equals(GGUF_MAGIC)) throw new DamagedModelError('it does not start with GGUF');
  const version = await reader.u32();
  if (version === 1) {
    throw new DamagedModelError(
      'it is an early GGUF (version 1) that current engines no longer read; get a newer conversion of the model',
    );
  }
  if (version !== 2 && version !== 3) {
    throw new DamagedModelError(`its GGUF version (${version}) is not one this app can read (2 or 3)`);
  }
  const tensorCount = await reader.u64();
  const metadataCount = await reader.u64();
  if (tensorCount > MAX_COUNT || metadataCount > MAX_COUNT) {
    throw new DamagedModelError(
      `its header declares ${tensorCount} tensors and ${metadataCount} metadata entries, which no real model has`,
    );
  }

  let architecture: string | null = null;
  let alignment = 32n;
  for (let index = 0n; index < metadataCount; index++) {
    const key = await readString(reader, 'metadata key');
    const type = await reader.u32();
    if (key === 'general.architecture' && type === STRING) {
      architecture = await readString(reader, key);
    } else if (key === 'general.alignment' && type === 4) {
      alignment = BigInt(await reader.u32());
      if (alignment === 0n || (alignment & (alignment - 1n)) !== 0n)
        throw new DamagedModelError(`its general.alignment (${alignment}) is not a power of two`);
    } else {
      await skipValue(reader, type, key);
    }
  }

  let dataEnd = 0n;
  let sizesKnown = true;
  for (let index = 0n; index < tensorCount; index++) {
    const name = await readString(reader, 'tensor name');
    const dimCount = await reader.u32();
    if (dimCount < 1 || dimCount > MAX_DIMS)
      throw new DamagedModelError(`tensor "${name}" has ${dimCount} dimensions`);
    const dims: bigint[] = [];
    for (let d = 0; d < dimCount; d++) dims.push(await reader.u64());
    const type = await reader.u32();
    const offset = await reader.u64();
    const bytes = ggmlTensorBytes(type, dims);
    if (bytes === null) sizesKnown = false;
    else if (offset + bytes > dataEnd) dataEnd = offset + bytes;
  }

  const dataStart = align(BigInt(reader.position), alignment);
  const needed = dataStart + dataEnd;
  if (tensorCount > 0n && sizesKnown && needed > BigInt(reader.size))
    throw new TruncatedFileError(reader.size, Number(needed));
  return {
    version,
    tensorCount: Number(tensorCount),
    metadataCount: Number(metadataCount),
    architecture,
  };
}

const align = (position: bigint, alignment: bigint) => ((position + alignment - 1n) / alignment) * alignment;

async function readString(reader: SequentialFileReader, what: string): Promise<string> {
  const length = await reader.u64();
  if (length > MAX_STRING_BYTES) throw new DamagedModelError(`its ${what} claims to be ${length} bytes long`);
  return (await reader.bytes(Number(length))).toString('utf8');
}

async function skipValue(reader: SequentialFileReader, type: number, key: string): Promise<void> {
  const fixed = FIXED_SIZES[type];
  if (fixed !== undefined) return reader.skip(fixed);
  if (type === STRING) return reader.skip(await stringLength(reader, key));
  if (type !== ARRAY) throw new DamagedModelError(`metadata "${key}" has an unknown type (${type})`);
  const elementType = await reader.u32();
  const count = await reader.u64();
  if (count > MAX_ARRAY_LENGTH) throw new DamagedModelError(`metadata "${key}" claims ${count} elements`);
  const elementSize = FIXED_SIZES[elementType];
  if (elementSize !== undefined) return reader.skip(count * BigInt(elementSize));
  for (let index = 0n; index < count; index++) await skipValue(reader, elementType, key);
}

async function stringLength(reader: SequentialFileReader, key: string): Promise<bigint> {
  const length = await reader.u64();
  if (length > MAX_STRING_BYTES)
    throw new DamagedModelError(`metadata "${key}" claims a ${length}-byte string`);
  return length;
}
