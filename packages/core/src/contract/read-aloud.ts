import { z } from 'zod';
import { ModelIdSchema } from './models.js';

/** Speaking rates a student can choose: half to twice the voice's normal speed (the pitch stays). */
export const MIN_READING_SPEED = 0.5;
export const MAX_READING_SPEED = 2;
export const ReadingSpeedSchema = z
  .number()
  .min(MIN_READING_SPEED, `The reading speed is at least ${MIN_READING_SPEED}x`)
  .max(MAX_READING_SPEED, `The reading speed is at most ${MAX_READING_SPEED}x`);

export const VOICE_ENGINES = ['piper', 'espeak', 'azure'] as const;
export const VoiceEngineSchema = z.enum(VOICE_ENGINES);
export type VoiceEngine = z.infer<typeof VoiceEngineSchema>;

/** "espeak:en-us+klatt4", "piper:<catalog model id>", "azure:<voice name>". */
export const VoiceIdSchema = z
  .string()
  .regex(/^(espeak|piper|azure):[A-Za-z0-9._+-]{1,100}$/, 'Use the id of a voice from the voice list');

/** A voice the student can read with, or install. */
export const VoiceSchema = z.object({
  id: VoiceIdSchema,
  engine: VoiceEngineSchema,
  label: z.string(),
  /** Lower-case BCP 47 ("en-us"); null until a voice's settings file is read. */
  language: z.string().nullable(),
  /** The text goes over the internet (a cloud service the student configured). */
  cloud: z.boolean(),
  /** Ready to speak now; a catalog voice must be installed first (through `models.*`). */
  available: z.boolean(),
  /** The catalog model to install, for Piper voices. */
  modelId: ModelIdSchema.nullable(),
});
export type Voice = z.infer<typeof VoiceSchema>;

export const AzureSpeechConfigSchema = z.object({
  region: z.string().nullable(),
  endpoint: z.string().nullable(),
  voice: z.string(),
});
export type AzureSpeechConfig = z.infer<typeof AzureSpeechConfigSchema>;

export const AzureSpeechSetupSchema = z
  .object({
    region: z.string().trim().max(50).optional(),
    endpoint: z.string().trim().max(300).optional(),
    key: z.string().trim().min(1, 'Enter the Speech resource key').max(200),
    voice: z.string().trim().max(100).optional(),
  })
  .refine((setup) => Boolean(setup.region || setup.endpoint), {
    message: 'Enter the Speech resource region (such as westeurope) or its endpoint',
    path: ['region'],
  });
export type AzureSpeechSetup = z.infer<typeof AzureSpeechSetupSchema>;

export const VoicesStatusSchema = z.object({
  voices: z.array(VoiceSchema),
  /** The voice "Read aloud" uses now: the chosen one if available, else the default. */
  current: VoiceIdSchema,
  speed: ReadingSpeedSchema,
  azure: AzureSpeechConfigSchema.nullable(),
});
export type VoicesStatus = z.infer<typeof VoicesStatusSchema>;

export const ReadingIdSchema = z.string().uuid();

/** A range of characters [start, end) of the text that was given (UTF-16 offsets). */
const SpanSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });

/** Texts longer than this are refused (a whole book is about this size). */
export const MAX_READ_ALOUD_CHARS = 2_000_000;

export const readAloudProcedures = {
  'readAloud.voices': { input: z.object({}).default({}), output: VoicesStatusSchema },
  /**
   * Starts reading a text aloud; its audio arrives sentence by sentence as `readAloud.sentence`
   * events, and `readAloud.ended` says how it ended. One reading at a time: a new one stops the last.
   */
  'readAloud.speak': {
    input: z.object({
      text: z.string().max(MAX_READ_ALOUD_CHARS, 'This text is too long to read aloud in one go'),
      format: z.enum(['markdown', 'plain']).default('markdown'),
      /** Default: the current voice and speed. */
      voiceId: VoiceIdSchema.optional(),
      speed: ReadingSpeedSchema.optional(),
      /** Start at this sentence (skip ahead, or resume at another speed). */
      startAt: z.number().int().nonnegative().default(0),
    }),
    output: z.object({ readingId: ReadingIdSchema, voiceId: VoiceIdSchema }),
  },
  /**
   * The player started sentence `index`: the engine keeps only a few sentences ahead of what is
   * heard, so a paused or book-length reading holds little audio.
   */
  'readAloud.played': {
    input: z.object({ readingId: ReadingIdSchema, index: z.number().int().nonnegative() }),
    output: z.object({ readingId: ReadingIdSchema }),
  },
  'readAloud.stop': {
    input: z.object({ readingId: ReadingIdSchema }),
    output: z.object({ readingId: ReadingIdSchema }),
  },
  /** Stores the Azure Speech resource, its key in the OS keychain. */
  'readAloud.configureAzure': { input: AzureSpeechSetupSchema, output: AzureSpeechConfigSchema },
  'readAloud.removeAzure': { input: z.object({}).default({}), output: z.object({}) },
} as const;

export const ReadingEndSchema = z.enum(['finished', 'stopped', 'failed']);

export const readAloudEvents = {
  /** One sentence's audio (a 16-bit mono WAV file, base64), in reading order. */
  'readAloud.sentence': z.object({
    readingId: ReadingIdSchema,
    index: z.number().int().nonnegative(),
    count: z.number().int().positive(),
    /** Where the sentence is in the text given. */
    source: SpanSchema,
    /** What the voice said. */
    text: z.string(),
    wav: z.string(),
    durationSec: z.number().nonnegative(),
    /** Each word's place in the text given and when it is spoken, if the voice gives timings. */
    words: z.array(SpanSchema.extend({ startSec: z.number(), endSec: z.number() })).nullable(),
  }),
  'readAloud.ended': z.object({
    readingId: ReadingIdSchema,
    reason: ReadingEndSchema,
    /** Why it failed, or what was left out (sentences in a script the voice cannot read). */
    message: z.string().nullable(),
  }),
  /** A voice was installed or removed, or the Azure setup changed. */
  'readAloud.voicesChanged': z.object({}),
} as const;
