import type { Lecture, LectureBookmark } from '@little-monster/core/contract';
import { explainError } from '../../../app/error-messages';
import { isRpcCallError, type EngineClient } from '../../../transport/client';
import { bytesToBase64 } from './base64';
import { CaptionSender } from './caption-sender';
import { ChunkUploader, type UploadStatus } from './chunk-uploader';
import type { LiveAudio, LiveAudioHandlers } from './live-audio';
import {
  MicrophoneError,
  type MediaRecorderHandlers,
  type MediaRecorderSession,
} from './media-recorder-session';
import { RecordingClock } from './recording-clock';

/** The browser's side of a recording (the real modules in the app, fakes in tests). */
export interface RecordingDeps {
  call: EngineClient['call'];
  openMicrophone(deviceId: string | null): Promise<MediaStream>;
  closeMicrophone(stream: MediaStream): void;
  startMediaRecorder(stream: MediaStream, handlers: MediaRecorderHandlers): MediaRecorderSession;
  startLiveAudio(stream: MediaStream, handlers: LiveAudioHandlers): Promise<LiveAudio>;
  now(): number;
  wait(ms: number): Promise<void>;
}

/**
 * starting: asking for the microphone and creating the lecture; recording / paused; stopping:
 * the last seconds are being saved; stopped: the lecture is complete; failed: see `error`.
 */
export type RecordingPhase = 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped' | 'failed';

export interface RecordingState {
  phase: RecordingPhase;
  lecture: Lecture | null;
  /** What went wrong (a failed start, or saving that could not finish). */
  error: string | null;
  /** Something the student should know once the recording is done (the microphone was unplugged). */
  notice: string | null;
  upload: UploadStatus;
  captionsProblem: string | null;
  bookmarks: LectureBookmark[];
}

export interface StartOptions {
  deviceId: string | null;
  classId: string | null;
  title: string;
}

const STOP_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000] as const;

/**
 * One recording, from the click on Record to the stopped lecture. The lecture is created only
 * once the microphone is open and MediaRecorder is running, so a refused microphone leaves
 * nothing behind; from then on every piece of audio reaches the engine (ChunkUploader), and
 * Stop waits for the last of them before it ends the lecture.
 */
export class RecordingSession {
  private readonly deps: RecordingDeps;
  private readonly clock: RecordingClock;
  private readonly uploader: ChunkUploader;
  private readonly captions: CaptionSender;
  private stream: MediaStream | null = null;
  private recorder: MediaRecorderSession | null = null;
  private live: LiveAudio | null = null;
  private state: RecordingState;
  private readonly listeners = new Set<() => void>();
  private stopping: Promise<void> | null = null;

  constructor(deps: RecordingDeps) {
    this.deps = deps;
    this.clock = new RecordingClock(deps.now);
    this.uploader = new ChunkUploader({
      send: (seq, bytes) => this.appendChunk(seq, bytes),
      wait: deps.wait,
    });
    this.captions = new CaptionSender({
      send: ({ startMs, pcm }) =>
        deps.call('transcripts.liveAudio', { lectureId: this.lectureId(), startMs, pcm }),
      onProblem: (problem) => this.set({ captionsProblem: problem }),
    });
    this.state = {
      phase: 'starting',
      lecture: null,
      error: null,
      notice: null,
      upload: this.uploader.getStatus(),
      captionsProblem: null,
      bookmarks: [],
    };
    this.uploader.subscribe(() => this.set({ upload: this.uploader.getStatus() }));
  }

  getState = (): RecordingState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Where the recording is now, in milliseconds of audio (paused time excluded). */
  elapsedMs(): number {
    return this.clock.elapsedMs();
  }

  /** Input loudness 0..1 for the meter. */
  level(): number {
    return this.state.phase === 'recording' ? (this.live?.level() ?? 0) : 0;
  }

  /** Whether leaving the page now would lose audio. */
  isActive(): boolean {
    return ['starting', 'recording', 'paused', 'stopping'].includes(this.state.phase);
  }

  async start({ deviceId, classId, title }: StartOptions): Promise<void> {
    const { deps } = this;
    let stream: MediaStream;
    try {
      stream = await deps.openMicrophone(deviceId);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.stream = stream;
    try {
      this.recorder = deps.startMediaRecorder(stream, {
        onChunk: (data) => this.uploader.add(data),
        onError: (error) => void this.stopAfterProblem(error),
      });
    } catch (error) {
      deps.closeMicrophone(stream);
      this.fail(error);
      return;
    }
    this.clock.start();
    try {
      this.live = await deps.startLiveAudio(stream, {
        onBlock: (block) => this.captions.add(block),
        positionMs: () => this.clock.elapsedMs(),
      });
      if (this.live.captionsProblem) this.set({ captionsProblem: this.live.captionsProblem });
    } catch (error) {
      // The level meter and live captions are extras; the recording goes on without them.
      this.set({ captionsProblem: `Live captions could not start: ${explainError(error).message}` });
    }
    let lecture: Lecture;
    try {
      lecture = await deps.call('lectures.start', {
        classId,
        ...(title.trim() ? { title: title.trim() } : {}),
        mimeType: this.recorder.mimeType,
      });
    } catch (error) {
      // Nothing was created: let the microphone go and say why.
      await this.recorder.stop().catch(() => {});
      await this.live?.close().catch(() => {});
      deps.closeMicrophone(stream);
      this.fail(error);
      return;
    }
    this.set({ lecture, phase: this.state.phase === 'starting' ? 'recording' : this.state.phase });
    this.uploader.start();
    this.captions.start();
  }

  pause(): void {
    if (this.state.phase !== 'recording') return;
    this.recorder?.pause();
    this.live?.pause();
    this.clock.pause();
    this.set({ phase: 'paused' });
  }

  resume(): void {
    if (this.state.phase !== 'paused') return;
    this.clock.resume();
    this.recorder?.resume();
    this.live?.resume();
    this.set({ phase: 'recording' });
  }

  /** Marks a moment as important (`atMs`: where it was marked; now if left out). */
  async addBookmark(note: string, atMs = this.clock.elapsedMs()): Promise<LectureBookmark> {
    const bookmark = await this.deps.call('lectures.addBookmark', {
      id: this.lectureId(),
      atMs: Math.round(atMs),
      note,
    });
    this.set({ bookmarks: [...this.state.bookmarks, bookmark] });
    return bookmark;
  }

  /** Ends the recording: the last piece of audio, then every piece still waiting, then `lectures.stop`. */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  /** The recording as this window holds it, to keep as a file when the engine could not save it. */
  recording(): Blob {
    return this.uploader.recording(this.recorder?.mimeType ?? 'audio/webm');
  }

  private async finish(): Promise<void> {
    if (!this.isActive() || this.state.phase === 'starting') return;
    this.set({ phase: 'stopping' });
    this.clock.pause();
    await this.recorder?.stop().catch(() => {});
    this.captions.end();
    await this.live?.close().catch(() => {});
    if (this.stream) this.deps.closeMicrophone(this.stream);
    try {
      await this.uploader.flush();
    } catch (error) {
      this.set({
        phase: 'failed',
        error: `The end of the recording could not be saved: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const lecture = await this.deps.call('lectures.stop', { id: this.lectureId() });
        this.set({ phase: 'stopped', lecture });
        return;
      } catch (error) {
        if (isRpcCallError(error, 'ENGINE_UNAVAILABLE')) {
          await this.deps.wait(STOP_RETRY_DELAYS_MS[Math.min(attempt, STOP_RETRY_DELAYS_MS.length - 1)]!);
          continue;
        }
        this.set({ phase: 'failed', error: explainError(error).message });
        return;
      }
    }
  }

  /** The microphone went away mid-recording: keep what was recorded, and say why it ended. */
  private async stopAfterProblem(error: MicrophoneError): Promise<void> {
    this.set({ notice: `The recording ended early: ${error.message}` });
    await this.stop();
  }

  private async appendChunk(seq: number, bytes: Uint8Array): Promise<void> {
    await this.deps.call('lectures.appendChunk', { id: this.lectureId(), seq, data: bytesToBase64(bytes) });
  }

  private lectureId(): string {
    const id = this.state.lecture?.id;
    if (!id) throw new Error('The lecture has not been created yet.');
    return id;
  }

  private fail(error: unknown): void {
    const message = error instanceof MicrophoneError ? error.message : explainError(error).message;
    this.set({ phase: 'failed', error: message });
  }

  private set(change: Partial<RecordingState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
