import { DamagedModelError, TruncatedFileError, type SequentialFileReader } from './file-reader.js';
import { ggmlTensorBytes } from './ggml-types.js';

/** "ggml" read as a little-endian u32: the file starts with the bytes 6c 6d 67 67. */
export const WHISPER_GGML_MAGIC = 0x67676d6c;

export interface WhisperInfo {
  vocabularySize: number;
  audioLayers: number;
  textLayers: number;
  mels: number;
  tensorCount: number;
}

const HPARAM_NAMES = [
  'n_vocab',
  'n_audio_ctx',
  'n_audio_state',
  'n_audio_head',
  'n_audio_layer',
  'n_text_ctx',
  'n_text_state',
  'n_text_head',
  'n_text_layer',
  'n_mels',
  'ftype',
] as const;
type Hparams = Record<(typeof HPARAM_NAMES)[number], number>;

// Generous bounds: real models sit far inside them, random bytes almost never do.
const LIMITS: Partial<Record<keyof Hparams, [number, number]>> = {
  n_vocab: [1, 1_000_000],
  n_audio_ctx: [1, 100_000],
  n_audio_state: [1, 65_536],
  n_audio_head: [1, 1_024],
  n_audio_layer: [1, 1_000],
  n_text_ctx: [1, 100_000],
  n_text_state: [1, 65_536],
  n_text_head: [1, 1_024],
  n_text_layer: [1, 1_000],
  n_mels: [1, 1_024],
};

/**
 * Checks a whisper.cpp model: magic, plausible hyper-parameters, mel filters, vocabulary, then
 * every tensor up to the exact end of the file (a cut-off file ends inside one of them).
 */
export async function inspectWhisperGgml(reader: SequentialFileReader): Promise<WhisperInfo> {
  if ((await reader.u32()) !== WHISPER_GGML_MAGIC) throw new DamagedModelError('it does not start with ggml');
  const hparams = {} as Hparams;
  for (const name of HPARAM_NAMES) hparams[name] = await reader.i32();
  for (const [name, [min, max]] of Object.entries(LIMITS) as [keyof Hparams, [number, number]][]) {
    const value = hparams[name];
    if (value < min || value > max)
      throw new DamagedModelError(`its ${name} (${value}) is outside what a whisper model can have`);
  }
  if (hparams.n_audio_state % hparams.n_audio_head !== 0 || hparams.n_text_state % hparams.n_text_head !== 0)
    throw new DamagedModelError('its attention heads do not divide its width');
  if (hparams.ftype < 0 || hparams.ftype % 1000 > 64)
    throw new DamagedModelError(`its ftype (${hparams.ftype}) is not a ggml type`);

  const melCount = await reader.i32();
  const fftBins = await reader.i32();
  if (melCount < 1 || melCount > 1_024 || fftBins < 1 || fftBins > 10_000)
    throw new DamagedModelError(`its mel filter table (${melCount} × ${fftBins}) is not plausible`);
  reader.skip(melCount * fftBins * 4);

  const tokens = await reader.i32();
  if (tokens < 0 || tokens > 1_000_000) throw new DamagedModelError(`its vocabulary claims ${tokens} tokens`);
  for (let token = 0; token < tokens; token++) {
    const length = await reader.i32();
    if (length < 0 || length > 4_096)
      throw new DamagedModelError(`vocabulary token ${token} claims ${length} bytes`);
    reader.skip(length);
  }

  let tensorCount = 0;
  while (reader.remaining > 0) {
    const dimCount = await reader.i32();
    const nameLength = await reader.i32();
    const type = await reader.i32();
    if (dimCount < 1 || dimCount > 4 || nameLength < 1 || nameLength > 1_024)
      throw new DamagedModelError(`tensor ${tensorCount + 1} has an impossible header`);
    const dims: bigint[] = [];
    for (let d = 0; d < dimCount; d++) {
      const dim = await reader.i32();
      if (dim < 1) throw new DamagedModelError(`tensor ${tensorCount + 1} has a dimension of ${dim}`);
      dims.push(BigInt(dim));
    }
    const name = (await reader.bytes(nameLength)).toString('utf8');
    const bytes = ggmlTensorBytes(type, dims);
    if (bytes === null) throw new DamagedModelError(`tensor "${name}" has an unknown type (${type})`);
    reader.skip(bytes);
    tensorCount += 1;
  }
  // whisper.cpp refuses a model that lacks any of its tensors; fewer than the shape needs means a cut-off file.
  const expected = 11 + 15 * hparams.n_audio_layer + 24 * hparams.n_text_layer;
  if (tensorCount < expected) {
    throw new TruncatedFileError(
      reader.size,
      null,
      `it ends after ${tensorCount} of the ${expected} weight tensors a model of this shape has`,
    );
  }
  return {
    vocabularySize: hparams.n_vocab,
    audioLayers: hparams.n_audio_layer,
    textLayers: hparams.n_text_layer,
    mels: hparams.n_mels,
    tensorCount,
  };
}
