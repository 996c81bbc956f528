import { z } from 'zod';
import { ImportSourceSchema } from './library.js';
import { LectureIdSchema, LectureSchema } from './lectures.js';
import { ModelIdSchema } from './models.js';

export const SegmentIdSchema = z.number().int().positive();

/** One line of a lecture's transcript: what was said between two moments of the recording. */
export const TranscriptSegmentSchema = z.object({
  id: SegmentIdSchema,
  lectureId: LectureIdSchema,
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative(),
  text: z.string(),
  /** The student corrected this line; a new transcription keeps their text. */
  edited: z.boolean(),
});
export type TranscriptSegment = z.infer<typeof TranscriptSegmentSchema>;

/**
 * none: never transcribed; live: captions are being written while recording; queued/running: a
 * transcription job (a file, or a second pass after recording); done; failed (`error` says why).
 */
export const TRANSCRIPT_STATES = ['none', 'live', 'queued', 'running', 'done', 'failed'] as const;
export const TranscriptStateSchema = z.enum(TRANSCRIPT_STATES);

export const TranscriptStatusSchema = z.object({
  state: TranscriptStateSchema,
  /** The speech model that wrote (or is writing) it. */
  modelId: z.string().nullable(),
  jobId: z.string().uuid().nullable(),
  error: z.string().nullable(),
});
export type TranscriptStatus = z.infer<typeof TranscriptStatusSchema>;

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'md'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Largest piece of live audio one call carries: 16 kHz 16-bit mono, a few seconds at most. */
export const MAX_LIVE_AUDIO_BYTES = 128 * 1024;

export const transcriptProcedures = {
  'transcripts.get': {
    input: z.object({ lectureId: LectureIdSchema }),
    output: z.object({ status: TranscriptStatusSchema, segments: z.array(TranscriptSegmentSchema) }),
  },
  /** Where each lecture's transcription stands (lectures never transcribed are left out). */
  'transcripts.statuses': {
    input: z.object({}).default({}),
    output: z.record(LectureIdSchema, TranscriptStatusSchema),
  },
  /** Corrects a line's text; its times stay. */
  'transcripts.editSegment': {
    input: z.object({ id: SegmentIdSchema, text: z.string().trim().max(5000) }),
    output: TranscriptSegmentSchema,
  },
  /**
   * Transcribes the whole recording in the background (after recording, or again with a larger
   * model: "record now, process later"). Lines the student edited keep their text.
   */
  'transcripts.transcribe': {
    input: z.object({ lectureId: LectureIdSchema, modelId: ModelIdSchema.optional() }),
    output: z.object({ jobId: z.string().uuid() }),
  },
  'transcripts.export': {
    input: z.object({ lectureId: LectureIdSchema, format: ExportFormatSchema }),
    output: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
  /**
   * Live captions: the recorder's audio as 16 kHz mono 16-bit PCM (little-endian, base64) from
   * `startMs` in the recording. Silence is skipped; each utterance a pause closes is transcribed
   * and arrives as a `transcripts.segment` event.
   */
  'transcripts.liveAudio': {
    input: z.object({
      lectureId: LectureIdSchema,
      startMs: z.number().int().nonnegative(),
      pcm: z.base64().max(Math.ceil(MAX_LIVE_AUDIO_BYTES / 3) * 4),
    }),
    output: z.object({ ok: z.literal(true) }),
  },
  /**
   * Imports a recorded lecture (audio or video file) and transcribes it in the background; without
   * a speech model it is kept (jobId null) to transcribe once one is installed.
   */
  'lectures.importAudio': {
    input: z.object({ classId: z.string().uuid().nullable().default(null), source: ImportSourceSchema }),
    output: z.object({ lecture: LectureSchema, jobId: z.string().uuid().nullable() }),
  },
} as const;

export const transcriptEvents = {
  /** A line was written (live or by a job) or edited. */
  'transcripts.segment': z.object({ segment: TranscriptSegmentSchema }),
  /** A lecture's transcript was replaced or its status changed. */
  'transcripts.changed': z.object({ lectureId: LectureIdSchema, status: TranscriptStatusSchema }),
} as const;
