import type { Logger } from 'pino';
import { z } from 'zod';
import type { SpeechModels } from '../../ai/engines/speech-models.js';
import type { TranscribeOptions } from '../../ai/stt/transcriber.js';
import type { SileroVad } from '../../ai/vad/silero-vad.js';
import { openAudioStream } from '../../audio/audio-stream.js';
import {
  AppError,
  type EventSink,
  type ExportFormat,
  type Lecture,
  type TranscriptSegment,
  type TranscriptStatus,
} from '../../contract/index.js';
import { defineJob } from '../../jobs/job-handler.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { DomainQueries } from '../../kit/queries.js';
import { classVocabulary, vocabularyPrompt } from './class-vocabulary.js';
import { SpeechCutter, type Utterance } from './speech-cutter.js';
import { exportTranscript } from './transcript-export.js';
import type { TranscriptIndex } from './transcript-index.js';
import type { NewSegment, TranscriptStore } from './transcript-store.js';

export const TRANSCRIBE_JOB = 'lecture.transcribe';
const RATE = 16_000;
/** Chunks of class material read for its vocabulary. */
const VOCABULARY_CHUNKS = 400;
/** The end of the previous caption helps whisper continue a sentence; this much of it. */
const CONTEXT_CHARS = 200;
/**
 * Captions further behind the recording than this are skipped (a slow computer, a busy engine),
 * so the backlog and the audio it holds cannot grow; a transcription after the recording fills
 * them in.
 */
const MAX_CAPTION_LAG_MS = 15_000;

export interface TranscriptsServiceDeps {
  store: TranscriptStore;
  lectures: DomainQueries['lectures'];
  /** The speech model to use now (the engine provider's). */
  models: SpeechModels;
  /** The voice activity detector (the engine provider's). */
  vad: () => Promise<SileroVad>;
  index: TranscriptIndex;
  queue: JobQueue;
  bus: EventSink;
  /** The text of a class's first material passages, for its vocabulary. */
  classTexts: (classId: string, limit: number) => string[];
  logger: Logger;
  /** whisper.cpp threads. */
  threads: number;
  language: () => string;
}

/** Live captions of one recording: its voice detector and where its audio sits in the recording. */
interface LiveSession {
  cutter: Promise<SpeechCutter>;
  /** Recording time (ms) of the cutter's first sample; a pause starts a new cutter. */
  baseMs: number;
  nextMs: number;
  work: Promise<void>;
  prompt: string;
  previous: string;
  modelId: string | null;
}

/**
 * Transcripts of lectures: live captions while recording (each utterance a pause closes is
 * transcribed as it ends), whole recordings as a background job (imports, and a second pass with
 * a larger model), the student's corrections, exports, and the library index that lets search
 * and the tutor find a moment of a lecture.
 */
export class TranscriptsService {
  private readonly live = new Map<string, LiveSession>();
  /** Recordings whose captions fell behind and skipped some speech. */
  private readonly captionsBehind = new Set<string>();

  constructor(private readonly deps: TranscriptsServiceDeps) {}

  /**
   * At start-up: live captions of a recording the engine lost end with what was written
   * (interrupted transcription jobs are the job queue's to resume).
   */
  closeLostCaptions(): void {
    const { store } = this.deps;
    for (const lectureId of store.withState(['live']))
      store.setStatus(lectureId, { ...store.status(lectureId), state: 'done' });
  }

  status(lectureId: string): TranscriptStatus {
    return this.deps.store.status(lectureId);
  }

  get(lectureId: string): { status: TranscriptStatus; segments: TranscriptSegment[] } {
    this.deps.lectures.get(lectureId);
    return { status: this.deps.store.status(lectureId), segments: this.deps.store.segments(lectureId) };
  }

  statuses(): Record<string, TranscriptStatus> {
    return this.deps.store.statuses();
  }

  editSegment(id: number, text: string): TranscriptSegment {
    const segment = this.deps.store.edit(id, text);
    this.deps.bus.emit('transcripts.segment', { segment });
    this.reindex(segment.lectureId);
    return segment;
  }

  export(lectureId: string, format: ExportFormat) {
    const lecture = this.deps.lectures.get(lectureId);
    return exportTranscript(lecture.title, this.deps.store.segments(lectureId), format);
  }

  /** Queues a transcription of the whole recording. */
  async transcribe(lectureId: string, modelId?: string): Promise<{ jobId: string }> {
    const lecture = this.deps.lectures.get(lectureId);
    if (lecture.status === 'recording')
      throw new AppError('CONFLICT', 'This lecture is still being recorded. Stop the recording first.');
    const model = await this.deps.models.pick(modelId);
    return this.queueTranscription(lecture, model.id);
  }

  /** Queues a transcription of a recording with a speech model already picked (an imported file). */
  queueTranscription(lecture: Lecture, modelId: string): { jobId: string } {
    const job = this.deps.queue.enqueue(TRANSCRIBE_JOB, {
      lectureId: lecture.id,
      modelId,
      title: lecture.title,
    });
    // A free queue starts the job at once, and the job says 'running': only a waiting job is 'queued'.
    if (this.deps.store.status(lecture.id).jobId !== job.id)
      this.setStatus(lecture.id, { state: 'queued', modelId, jobId: job.id, error: null });
    return { jobId: job.id };
  }

  /**
   * Live audio of a recording (16 kHz mono PCM from `startMs`): speech closed by a pause is
   * transcribed and announced line by line. Without a speech model the audio is only recorded.
   */
  liveAudio(lectureId: string, startMs: number, pcm: Buffer): void {
    const lecture = this.deps.lectures.get(lectureId);
    if (lecture.status !== 'recording') throw new AppError('CONFLICT', 'This lecture is not being recorded.');
    if (pcm.length % 2 !== 0) throw new AppError('INVALID_INPUT', 'Live audio must be whole 16-bit samples.');
    const samples = new Float32Array(pcm.length / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(i * 2) / 32768;

    let session = this.live.get(lectureId);
    // A pause (or a gap after a reconnect) starts a new stretch of audio.
    if (session && Math.abs(startMs - session.nextMs) > 50) {
      const ended = session;
      ended.work = ended.work.then(() => this.flush(lectureId, ended));
      session = undefined;
    }
    if (!session) session = this.startLive(lectureId, lecture.classId, startMs, this.live.get(lectureId));
    session.nextMs = startMs + Math.round((samples.length / RATE) * 1000);
    const current = session;
    current.work = current.work
      .then(async () => {
        const utterances = await (await current.cutter).push(samples);
        for (const utterance of utterances) await this.caption(lectureId, current, utterance);
      })
      .catch((error: unknown) => this.liveFailed(lectureId, error));
  }

  /** The recording stopped: the last utterance is captioned, then the transcript is indexed. */
  async recordingStopped(lectureId: string): Promise<void> {
    const session = this.live.get(lectureId);
    if (session) {
      await (session.work = session.work.then(() => this.flush(lectureId, session)));
      this.live.delete(lectureId);
      const status = this.deps.store.status(lectureId);
      if (status.state === 'live') this.setStatus(lectureId, { ...status, state: 'done' });
      this.reindex(lectureId);
      // Captions fell behind and skipped some speech: the whole recording is transcribed now.
      if (this.captionsBehind.delete(lectureId))
        await this.transcribe(lectureId, session.modelId ?? undefined);
      return;
    }
    // Recorded without captions (no model then): transcribe it now if a model is there.
    if (this.deps.store.segments(lectureId).length === 0) {
      await this.transcribe(lectureId).catch((error: unknown) =>
        this.deps.logger.info(
          { lectureId, reason: (error as Error).message },
          'recording left untranscribed',
        ),
      );
    }
  }

  /** The lecture is being deleted (in its transaction): its captions stop, its lines and passages go. */
  lectureDeleted(lectureId: string): void {
    this.live.delete(lectureId);
    this.captionsBehind.delete(lectureId);
    this.deps.store.deleteLecture(lectureId);
    this.deps.index.remove(lectureId);
  }

  /** Waits for captions still being written (the engine is closing). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.live.values()].map((session) => session.work));
    this.live.clear();
  }

  job() {
    return defineJob({
      kind: TRANSCRIBE_JOB,
      payload: z.object({ lectureId: z.string().uuid(), modelId: z.string(), title: z.string() }),
      title: ({ title }) => `Transcribe ${title}`,
      maxAttempts: 2,
      onInterrupted: 'resume',
      onAbandoned: ({ lectureId, modelId }) =>
        this.setStatusIfExists(lectureId, {
          state: 'failed',
          modelId,
          jobId: null,
          error: 'The transcription was cancelled.',
        }),
      run: async ({ lectureId, modelId }, { jobId, signal, progress }) => {
        try {
          return await this.runTranscription(lectureId, modelId, jobId, signal, progress);
        } catch (error) {
          if (!(signal.aborted && signal.reason === 'shutdown'))
            this.setStatusIfExists(lectureId, {
              state: 'failed',
              modelId,
              jobId: null,
              error:
                error instanceof AppError
                  ? error.message
                  : 'The transcription failed (details are in the log).',
            });
          throw error;
        }
      },
    });
  }

  private async runTranscription(
    lectureId: string,
    modelId: string,
    jobId: string,
    signal: AbortSignal,
    progress: (fraction: number | null, message?: string) => void,
  ) {
    const lecture = this.deps.lectures.get(lectureId);
    this.setStatus(lectureId, { state: 'running', modelId, jobId, error: null });
    const { transcriber } = await this.deps.models.transcriber(await this.deps.models.pick(modelId));
    const file = this.deps.lectures.recordingFile(lectureId);
    const stream = await openAudioStream(file.path, { signal });
    const total = stream.info.durationSeconds ?? lecture.durationMs / 1000;
    const cutter = new SpeechCutter(await this.detector());
    const options = this.options(lecture.classId, signal);
    const segments: NewSegment[] = [];
    const transcribe = async (utterance: Utterance) => {
      const { segments: found } = await transcriber.transcribe(utterance.samples, options);
      for (const segment of found) segments.push(toSegment(segment, utterance.startSec * 1000));
    };
    try {
      for await (const chunk of stream) {
        for (const utterance of await cutter.push(chunk)) await transcribe(utterance);
        if (total > 0) progress(Math.min(0.99, cutter.durationSec / total), 'Transcribing');
      }
      for (const utterance of await cutter.finish()) await transcribe(utterance);
    } finally {
      await stream.close();
    }
    this.deps.store.replace(lectureId, segments);
    this.setStatus(lectureId, { state: 'done', modelId, jobId: null, error: null });
    this.reindex(lectureId);
    return { lectureId, segments: segments.length, warnings: stream.result?.warnings ?? [] };
  }

  private startLive(
    lectureId: string,
    classId: string | null,
    startMs: number,
    previous?: LiveSession,
  ): LiveSession {
    const session: LiveSession = {
      cutter: this.detector().then((detector) => new SpeechCutter(detector)),
      baseMs: startMs,
      nextMs: startMs,
      // After the previous stretch's last captions, so lines arrive in order.
      work: previous?.work ?? Promise.resolve(),
      prompt: previous?.prompt ?? vocabularyPrompt(this.vocabulary(classId)),
      previous: previous?.previous ?? '',
      modelId: previous?.modelId ?? null,
    };
    this.live.set(lectureId, session);
    return session;
  }

  private async flush(lectureId: string, session: LiveSession): Promise<void> {
    for (const utterance of await (await session.cutter).finish())
      await this.caption(lectureId, session, utterance);
  }

  private async caption(lectureId: string, session: LiveSession, utterance: Utterance): Promise<void> {
    const latestMs = this.live.get(lectureId)?.nextMs ?? session.nextMs;
    if (latestMs - (session.baseMs + utterance.endSec * 1000) > MAX_CAPTION_LAG_MS) {
      this.captionsBehind.add(lectureId);
      return;
    }
    let model;
    try {
      model = await this.deps.models.pick();
    } catch {
      return; // no speech model: recording goes on without captions
    }
    const { transcriber } = await this.deps.models.transcriber(model);
    if (session.modelId !== model.id) {
      session.modelId = model.id;
      this.setStatus(lectureId, { state: 'live', modelId: model.id, jobId: null, error: null });
    }
    const prompt = [session.prompt, session.previous.slice(-CONTEXT_CHARS)].filter(Boolean).join(' ');
    const { segments } = await transcriber.transcribe(utterance.samples, {
      threads: this.deps.threads,
      language: this.deps.language(),
      shortAudioContext: true,
      ...(prompt ? { initialPrompt: prompt } : {}),
    });
    for (const found of segments) {
      if (!this.live.has(lectureId)) return; // deleted meanwhile
      const segment = this.deps.store.add(
        lectureId,
        toSegment(found, session.baseMs + utterance.startSec * 1000),
      );
      session.previous = `${session.previous} ${segment.text}`.slice(-CONTEXT_CHARS);
      this.deps.bus.emit('transcripts.segment', { segment });
    }
  }

  private liveFailed(lectureId: string, error: unknown): void {
    this.deps.logger.warn({ lectureId, err: error }, 'live captions failed');
    const message =
      error instanceof AppError ? error.message : 'Live captions stopped because of an unexpected error.';
    this.setStatusIfExists(lectureId, {
      ...this.deps.store.status(lectureId),
      state: 'failed',
      error: message,
    });
  }

  private options(classId: string | null, signal: AbortSignal): TranscribeOptions {
    const prompt = vocabularyPrompt(this.vocabulary(classId));
    return {
      threads: this.deps.threads,
      language: this.deps.language(),
      signal,
      ...(prompt ? { initialPrompt: prompt } : {}),
    };
  }

  /** Names and terms from the class's material (its first passages), for whisper's prompt. */
  private vocabulary(classId: string | null): string[] {
    return classId ? classVocabulary(this.deps.classTexts(classId, VOCABULARY_CHUNKS)) : [];
  }

  private detector(): Promise<SileroVad> {
    return this.deps.vad();
  }

  private reindex(lectureId: string): void {
    try {
      const lecture = this.deps.lectures.get(lectureId);
      void this.deps.index
        .replace(lecture, this.deps.store.segments(lectureId))
        .catch((error: unknown) =>
          this.deps.logger.warn({ lectureId, err: error }, 'transcript not indexed'),
        );
    } catch (error) {
      this.deps.logger.warn({ lectureId, err: error }, 'transcript not indexed');
    }
  }

  private setStatus(lectureId: string, status: TranscriptStatus): void {
    this.deps.store.setStatus(lectureId, status);
    this.deps.bus.emit('transcripts.changed', { lectureId, status });
  }

  private setStatusIfExists(lectureId: string, status: TranscriptStatus): void {
    try {
      this.setStatus(lectureId, status);
    } catch {
      // The lecture was deleted: there is no status to keep.
    }
  }
}

function toSegment(
  segment: { startSec: number; endSec: number; text: string },
  offsetMs: number,
): NewSegment {
  return {
    startMs: Math.round(offsetMs + segment.startSec * 1000),
    endMs: Math.round(offsetMs + segment.endSec * 1000),
    text: segment.text.trim(),
  };
}
