import { DamagedModelError, type SequentialFileReader } from './file-reader.js';

/** Tag of ModelProto field 1 (ir_version) as a varint: how every exporter starts the file. */
export const ONNX_FIRST_BYTE = 0x08;

const IR_VERSION_FIELD = 1;
const GRAPH_FIELD = 7;

export interface OnnxInfo {
  irVersion: number;
  fieldCount: number;
}

/**
 * A cheap structural check of an ONNX ModelProto: walks its top-level protobuf fields (skipping
 * their contents) to the exact end of the file and requires an ir_version and a graph.
 */
export async function inspectOnnx(reader: SequentialFileReader): Promise<OnnxInfo> {
  let irVersion: number | null = null;
  let hasGraph = false;
  let fieldCount = 0;
  while (reader.remaining > 0) {
    const tag = await readVarint(reader);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new DamagedModelError(`field ${fieldCount + 1} has the invalid number 0`);
    if (wireType === 0) {
      const value = await readVarint(reader);
      if (field === IR_VERSION_FIELD) irVersion = value;
    } else if (wireType === 1) {
      reader.skip(8);
    } else if (wireType === 2) {
      const length = await readVarint(reader);
      if (field === GRAPH_FIELD && length > 0) hasGraph = true;
      reader.skip(length);
    } else if (wireType === 5) {
      reader.skip(4);
    } else {
      throw new DamagedModelError(
        `field ${field} uses protobuf wire type ${wireType}, which ONNX never writes`,
      );
    }
    fieldCount += 1;
  }
  if (irVersion === null || irVersion < 1 || irVersion > 100)
    throw new DamagedModelError(`its ir_version (${irVersion ?? 'missing'}) is not an ONNX version`);
  if (!hasGraph) throw new DamagedModelError('it has no graph, so it is not a complete model');
  return { irVersion, fieldCount };
}

/** A protobuf base-128 varint; precision past 2^53 is lost, which no real length or version reaches. */
async function readVarint(reader: SequentialFileReader): Promise<number> {
  let value = 0;
  let scale = 1;
  for (let index = 0; index < 10; index++) {
    const byte = await reader.u8();
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
  throw new DamagedModelError('it holds a number longer than protobuf allows');
}
