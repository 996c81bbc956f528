/**
 * A Piper voice is two files: `NAME.onnx` (the network) and `NAME.onnx.json` beside it (its
 * sample rate, espeak-ng voice, phoneme ids and inference defaults). This reads and checks the
 * second, with messages that say which file is wrong and what to do.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../contract/errors.js';
import { checkModelFile } from '../../../models/model-file-format.js';

/** Rates a player and an exporter handle; Piper voices use 16000 or 22050. */
export const SUPPORTED_SAMPLE_RATES = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000] as const;

const PhonemeIds = z.array(z.number().int().nonnegative()).min(1);

const PiperConfigSchema = z.object({
  audio: z.object({ sample_rate: z.number() }),
  espeak: z.object({ voice: z.string().min(1) }).optional(),
  phoneme_type: z.string().optional(),
  phoneme_map: z.record(z.string(), z.array(z.string())).optional(),
  phoneme_id_map: z.record(z.string(), PhonemeIds),
  inference: z
    .object({ noise_scale: z.number(), length_scale: z.number(), noise_w: z.number() })
    .partial()
    .optional(),
  num_speakers: z.number().int().positive().optional(),
  speaker_id_map: z.record(z.string(), z.number().int().nonnegative()).optional(),
  language: z.object({ code: z.string() }).partial().optional(),
  dataset: z.string().optional(),
});

export interface PiperVoiceConfig {
  sampleRate: number;
  /** espeak-ng voice that makes the phonemes ("en-us"). */
  espeakVoice: string;
  /** Lower-case BCP 47 language ("en-us"). */
  language: string;
  /** Phoneme (one code point) to ids. */
  phonemeIds: Map<string, number[]>;
  /** Phonemes replaced before lookup (Brazilian Portuguese maps "c" to "k"). */
  phonemeMap: Map<string, string[]>;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  speakers: number;
  /** A name for the voice ("lessac"). */
  dataset: string | null;
}

/** The settings file of the voice at `modelPath` (the .onnx; by default beside it), checked. */
export async function readPiperVoiceConfig(
  modelPath: string,
  configPath = `${modelPath}.json`,
): Promise<PiperVoiceConfig> {
  const model = basename(modelPath);
  const settings = basename(configPath);
  let raw: string;
  try {
    raw = await readFile(configPath, 'utf8');
  } catch {
    throw new AppError(
      'MODEL_NOT_INSTALLED',
      `The voice ${model} has no settings file beside it (${settings}). A Piper voice is two files: ` +
        `add ${settings} from the same place as the voice, in the same folder.`,
      { modelPath, problem: 'missing-config' },
    );
  }
  const damaged = (reason: string) =>
    new AppError(
      'MODEL_NOT_INSTALLED',
      `The voice settings file ${settings} is damaged or is not a Piper voice's (${reason}). Get it again from where the voice came from.`,
      { modelPath, problem: 'damaged-config', reason },
    );
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw damaged((error as Error).message);
  }
  const parsed = PiperConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw damaged(`${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const config = parsed.data;
  if (config.phoneme_type !== undefined && config.phoneme_type !== 'espeak') {
    throw new AppError(
      'MODEL_NOT_INSTALLED',
      `The voice ${model} reads "${config.phoneme_type}" phonemes; Little Monster can use Piper voices that read espeak phonemes (almost all of them).`,
      { modelPath, problem: 'unsupported', phonemeType: config.phoneme_type },
    );
  }
  const sampleRate = config.audio.sample_rate;
  if (!(SUPPORTED_SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
    throw new AppError(
      'MODEL_NOT_INSTALLED',
      `The voice ${model} says it makes ${sampleRate.toLocaleString('en')} samples a second, which is not a rate ` +
        `audio players use (${SUPPORTED_SAMPLE_RATES.map((rate) => rate.toLocaleString('en')).join(', ')}). ` +
        `Check ${settings}: Piper voices use 16,000 or 22,050.`,
      { modelPath, problem: 'sample-rate', sampleRate },
    );
  }
  const phonemeIds = new Map(Object.entries(config.phoneme_id_map));
  for (const special of ['_', '^', '$']) {
    if (!phonemeIds.has(special)) throw damaged(`phoneme_id_map has no "${special}"`);
  }
  const espeakVoice = config.espeak?.voice ?? 'en-us';
  return {
    sampleRate,
    espeakVoice,
    language: (config.language?.code ?? espeakVoice).replace(/_/g, '-').toLowerCase(),
    phonemeIds,
    phonemeMap: new Map(Object.entries(config.phoneme_map ?? {})),
    noiseScale: config.inference?.noise_scale ?? 0.667,
    lengthScale: config.inference?.length_scale ?? 1,
    noiseW: config.inference?.noise_w ?? 0.8,
    speakers: config.num_speakers ?? 1,
    dataset: config.dataset ?? null,
  };
}

/**
 * Checks both files of the voice at `modelPath` without loading it (cheap: a header walk and a
 * small JSON file), so a missing, damaged or incomplete voice is refused with a clear message
 * before any thread or runtime is started.
 */
export async function checkPiperVoice(modelPath: string, configPath?: string): Promise<PiperVoiceConfig> {
  const name = basename(modelPath);
  if (!existsSync(modelPath)) {
    throw new AppError(
      'MODEL_NOT_INSTALLED',
      `The voice ${name} is not installed (there is no file at ${modelPath}). Install a voice in Settings › Voices.`,
      { modelPath, problem: 'missing' },
    );
  }
  const config = await readPiperVoiceConfig(modelPath, configPath);
  // onnxruntime sees only files that are complete ONNX models.
  await checkModelFile(modelPath, 'onnx').catch((error: unknown) => {
    throw damagedVoice(modelPath, (error as Error).message);
  });
  return config;
}

export function damagedVoice(modelPath: string, reason: string): AppError {
  return new AppError(
    'MODEL_NOT_INSTALLED',
    `The voice ${basename(modelPath)} could not be loaded: the file is damaged or is not a Piper voice. Download it again. (${reason})`,
    { modelPath, problem: 'damaged', reason },
  );
}
