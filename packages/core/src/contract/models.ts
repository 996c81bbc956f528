import { z } from 'zod';
import { JobIdSchema } from './jobs.js';

export const MODEL_KINDS = ['embedding', 'llm', 'stt', 'tts'] as const;
export const ModelKindSchema = z.enum(MODEL_KINDS);
export type ModelKind = z.infer<typeof ModelKindSchema>;

/** How a model file is laid out; checked from the file's header, never from its name. */
export const MODEL_FORMATS = ['gguf', 'ggml-whisper', 'onnx'] as const;
export const ModelFormatSchema = z.enum(MODEL_FORMATS);
export type ModelFormat = z.infer<typeof ModelFormatSchema>;

export const ModelIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,79}$/,
    'Use the id of a model from the catalog, such as bge-small-en-v1.5-f16',
  );

/**
 * missing: no file; partial: a download was interrupted and can resume; installed: the file is
 * there with the catalog's size; damaged: a file is there but its size is wrong.
 */
export const MODEL_STATUSES = ['missing', 'partial', 'installed', 'damaged'] as const;
export const ModelStatusSchema = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof ModelStatusSchema>;

/**
 * Speech models, best first for a laptop: base.en keeps up with live captions on two cores. The
 * engine picks the first installed one and the app suggests the first that fits, so both name the same.
 */
export const SPEECH_MODEL_PREFERENCE = [
  'whisper-base.en-q5_1',
  'whisper-base.en',
  'whisper-tiny.en-q5_1',
  'whisper-tiny.en',
  'whisper-small.en-q5_1',
  'whisper-small.en',
] as const;

/** Orders speech models by SPEECH_MODEL_PREFERENCE; others (a student's own file) after them, smallest first. */
export function bySpeechPreference(a: { id: string; ramBytes: number }, b: { id: string; ramBytes: number }) {
  const rank = (id: string) => {
    const index = (SPEECH_MODEL_PREFERENCE as readonly string[]).indexOf(id);
    return index === -1 ? SPEECH_MODEL_PREFERENCE.length : index;
  };
  return rank(a.id) - rank(b.id) || a.ramBytes - b.ramBytes;
}

export const ModelSourceSchema = z.enum(['download', 'file']);
export type ModelSource = z.infer<typeof ModelSourceSchema>;

/** One catalog model joined with what is on this computer. */
export const ModelEntrySchema = z.object({
  id: ModelIdSchema,
  kind: ModelKindSchema,
  name: z.string(),
  description: z.string(),
  format: ModelFormatSchema,
  /** Size of the file. */
  bytes: z.number().int().nonnegative(),
  license: z.string(),
  /** Memory needed to run it. */
  ramBytes: z.number().int().nonnegative(),
  /** False when Little Monster could not confirm the catalog's checksum with the publisher. */
  verified: z.boolean(),
  /** Where the download comes from (shown so the student knows what will be contacted). */
  url: z.string(),
  status: ModelStatusSchema,
  installed: z.boolean(),
  installedBytes: z.number().int().nonnegative().optional(),
  /** Bytes already downloaded by an interrupted download. */
  partialBytes: z.number().int().nonnegative().optional(),
  /** How the installed file arrived. */
  source: ModelSourceSchema.optional(),
  fitsMemory: z.boolean(),
  /** "Needs about 0.3 GB of memory; this computer has 16 GB." */
  memoryNote: z.string(),
  /** A download job that is queued or running for this model. */
  downloadJobId: JobIdSchema.optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

const modelId = z.object({ id: ModelIdSchema });

export const modelProcedures = {
  'models.list': { input: z.object({}).default({}), output: z.array(ModelEntrySchema) },
  /** Starts (or returns the already running) background download of a catalog model. */
  'models.download': { input: modelId, output: z.object({ jobId: JobIdSchema }) },
  /** "Use a file I already have": checks the file and copies it into the models folder. */
  'models.installFromFile': {
    input: z.object({
      id: ModelIdSchema,
      path: z.string().trim().min(1, 'Give the full path of the model file').max(4096),
    }),
    output: ModelEntrySchema,
  },
  'models.delete': { input: modelId, output: modelId },
} as const;

export const modelEvents = {
  /** A model was installed (downloaded or from a file) or deleted. */
  'models.changed': z.object({ id: z.string() }),
} as const;
