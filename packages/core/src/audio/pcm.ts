/** Uncompressed sample formats the demuxer reports (WAV, AIFF, MOV and MKV can hold any of them). */
export const PCM_CODECS = [
  'pcm-s16',
  'pcm-s16be',
  'pcm-s24',
  'pcm-s24be',
  'pcm-s32',
  'pcm-s32be',
  'pcm-f32',
  'pcm-f32be',
  'pcm-f64',
  'pcm-f64be',
  'pcm-u8',
  'pcm-s8',
  'ulaw',
  'alaw',
] as const;
export type PcmCodec = (typeof PCM_CODECS)[number];

const BYTES: Record<PcmCodec, number> = {
  'pcm-s16': 2,
  'pcm-s16be': 2,
  'pcm-s24': 3,
  'pcm-s24be': 3,
  'pcm-s32': 4,
  'pcm-s32be': 4,
  'pcm-f32': 4,
  'pcm-f32be': 4,
  'pcm-f64': 8,
  'pcm-f64be': 8,
  'pcm-u8': 1,
  'pcm-s8': 1,
  ulaw: 1,
  alaw: 1,
};

/** Interleaved PCM bytes → one Float32Array per channel in [-1, 1]. A trailing partial frame is dropped. */
export function decodePcm(bytes: Uint8Array, codec: PcmCodec, channels: number): Float32Array[] {
  const width = BYTES[codec];
  const frames = Math.floor(bytes.byteLength / (width * channels));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = reader(codec, view);
  const planes = Array.from({ length: channels }, () => new Float32Array(frames));
  let offset = 0;
  for (let frame = 0; frame < frames; frame++) {
    for (const plane of planes) {
      plane[frame] = read(offset);
      offset += width;
    }
  }
  return planes;
}

function reader(codec: PcmCodec, view: DataView): (offset: number) => number {
  switch (codec) {
    case 'pcm-s16':
      return (offset) => view.getInt16(offset, true) / 0x8000;
    case 'pcm-s16be':
      return (offset) => view.getInt16(offset, false) / 0x8000;
    case 'pcm-s24':
      return (offset) =>
        (view.getUint8(offset) | (view.getUint8(offset + 1) << 8) | (view.getInt8(offset + 2) << 16)) /
        0x800000;
    case 'pcm-s24be':
      return (offset) =>
        ((view.getInt8(offset) << 16) | (view.getUint8(offset + 1) << 8) | view.getUint8(offset + 2)) /
        0x800000;
    case 'pcm-s32':
      return (offset) => view.getInt32(offset, true) / 0x80000000;
    case 'pcm-s32be':
      return (offset) => view.getInt32(offset, false) / 0x80000000;
    case 'pcm-f32':
      return (offset) => view.getFloat32(offset, true);
    case 'pcm-f32be':
      return (offset) => view.getFloat32(offset, false);
    case 'pcm-f64':
      return (offset) => view.getFloat64(offset, true);
    case 'pcm-f64be':
      return (offset) => view.getFloat64(offset, false);
    case 'pcm-u8':
      return (offset) => (view.getUint8(offset) - 128) / 128;
    case 'pcm-s8':
      return (offset) => view.getInt8(offset) / 128;
    case 'ulaw':
      return (offset) => ULAW[view.getUint8(offset)]!;
    case 'alaw':
      return (offset) => ALAW[view.getUint8(offset)]!;
  }
}

/** G.711 expansion tables (ITU-T G.711), scaled to [-1, 1]. */
const ULAW = Float32Array.from({ length: 256 }, (_, code) => {
  const value = ~code & 0xff;
  const exponent = (value >> 4) & 0x07;
  const magnitude = ((((value & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return (value & 0x80 ? -magnitude : magnitude) / 32768;
});

const ALAW = Float32Array.from({ length: 256 }, (_, code) => {
  const value = code ^ 0x55;
  const exponent = (value >> 4) & 0x07;
  let magnitude = (value & 0x0f) << 4;
  magnitude = exponent === 0 ? magnitude + 8 : (magnitude + 0x108) << (exponent - 1);
  return (value & 0x80 ? magnitude : -magnitude) / 32768;
});
