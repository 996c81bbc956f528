/**
 * Reads the few protobuf messages an Anki package holds (package meta, media list, and schema 18's
 * note type, field, template, deck and deck-options blobs) by field number, over
 * @bufbuild/protobuf's wire reader. Generating code from Anki's .proto files would pull in
 * hundreds of messages to read a dozen fields; unknown fields are skipped as protobuf intends.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

type RawField =
  | { wireType: WireType.Varint; value: bigint }
  | { wireType: WireType.LengthDelimited; bytes: Uint8Array }
  | {
      wireType: WireType.Bit32;
      bytes: Uint8Array;
    }
  | { wireType: WireType.Bit64; bytes: Uint8Array };

export class ProtoMessage {
  private readonly fields = new Map<number, RawField[]>();

  /** Throws on bytes that are not a protobuf message. */
  constructor(bytes: Uint8Array) {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [fieldNo, wireType] = reader.tag();
      let field: RawField;
      if (wireType === WireType.Varint) field = { wireType, value: BigInt(reader.uint64()) };
      else if (wireType === WireType.LengthDelimited) field = { wireType, bytes: reader.bytes() };
      else if (wireType === WireType.Bit32 || wireType === WireType.Bit64)
        field = { wireType, bytes: reader.skip(wireType) };
      else {
        reader.skip(wireType, fieldNo);
        continue;
      }
      const list = this.fields.get(fieldNo) ?? [];
      list.push(field);
      this.fields.set(fieldNo, list);
    }
  }

  private last(fieldNo: number): RawField | undefined {
    return this.fields.get(fieldNo)?.at(-1);
  }

  uint(fieldNo: number): number | undefined {
    const field = this.last(fieldNo);
    return field?.wireType === WireType.Varint ? Number(BigInt.asUintN(64, field.value)) : undefined;
  }

  int(fieldNo: number): number | undefined {
    const field = this.last(fieldNo);
    return field?.wireType === WireType.Varint ? Number(BigInt.asIntN(64, field.value)) : undefined;
  }

  bool(fieldNo: number): boolean | undefined {
    const value = this.uint(fieldNo);
    return value === undefined ? undefined : value !== 0;
  }

  float(fieldNo: number): number | undefined {
    const field = this.last(fieldNo);
    return field?.wireType === WireType.Bit32 ? new BinaryReader(field.bytes).float() : undefined;
  }

  string(fieldNo: number): string | undefined {
    const bytes = this.bytes(fieldNo);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }

  bytes(fieldNo: number): Uint8Array | undefined {
    const field = this.last(fieldNo);
    return field?.wireType === WireType.LengthDelimited ? field.bytes : undefined;
  }

  message(fieldNo: number): ProtoMessage | undefined {
    const bytes = this.bytes(fieldNo);
    return bytes === undefined ? undefined : new ProtoMessage(bytes);
  }

  messages(fieldNo: number): ProtoMessage[] {
    return (this.fields.get(fieldNo) ?? []).flatMap((field) =>
      field.wireType === WireType.LengthDelimited ? [new ProtoMessage(field.bytes)] : [],
    );
  }

  /** A `repeated float`, packed (proto3's default) or not. */
  floats(fieldNo: number): number[] {
    return (this.fields.get(fieldNo) ?? []).flatMap((field) => {
      if (field.wireType === WireType.Bit32) return [new BinaryReader(field.bytes).float()];
      if (field.wireType !== WireType.LengthDelimited) return [];
      const reader = new BinaryReader(field.bytes);
      const values: number[] = [];
      while (reader.pos < reader.len) values.push(reader.float());
      return values;
    });
  }
}
