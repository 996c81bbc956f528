/**
 * The browser's microphone and MediaRecorder, behind a few functions (the rest of the recorder
 * is plain code that tests drive with fakes of these APIs).
 */
import { RECORDING_MIME_TYPE } from '@little-monster/core/contract';

/** 32 kbit/s Opus: clear speech at about 14 MB an hour. */
export const RECORDING_BITS_PER_SECOND = 32_000;
/** MediaRecorder hands over a piece of the stream every second. */
export const CHUNK_INTERVAL_MS = 1000;

export interface Microphone {
  deviceId: string;
  label: string;
}

export type MicrophoneProblem = 'denied' | 'no-device' | 'busy' | 'unsupported' | 'other';

/** Why the microphone could not be used, in words the student can act on. */
export class MicrophoneError extends Error {
  readonly problem: MicrophoneProblem;

  constructor(problem: MicrophoneProblem, message: string) {
    super(message);
    this.name = 'MicrophoneError';
    this.problem = problem;
  }
}

const MESSAGES: Record<MicrophoneProblem, string> = {
  denied:
    'Little Monster may not use the microphone. Allow microphone access for this app (in the browser’s address bar, or your system’s privacy settings), then try again.',
  'no-device': 'No microphone was found. Connect one (or choose another in the list), then try again.',
  busy: 'The microphone is in use by another program or could not be started. Close the other program, or choose another microphone, then try again.',
  unsupported:
    'This window cannot record audio as WebM/Opus, which Little Monster needs. Use the desktop app or a recent Chrome, Edge or Chromium.',
  other: 'The microphone could not be started.',
};

export function microphoneError(problem: MicrophoneProblem, detail?: string): MicrophoneError {
  return new MicrophoneError(
    problem,
    problem === 'other' && detail ? `${MESSAGES.other} ${detail}` : MESSAGES[problem],
  );
}

/** getUserMedia's DOMException names, sorted into what the student can do about them. */
function problemOf(error: unknown): MicrophoneProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'other';
  }
}

function mediaDevices(): MediaDevices {
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  // Browsers offer no microphone outside a secure context (https, localhost, the desktop app).
  if (!devices?.getUserMedia) throw microphoneError('unsupported');
  return devices;
}

/**
 * The microphone, as speech wants it: no echo cancellation or noise suppression (they smear a
 * lecturer's voice in a hall), automatic gain so a distant voice is loud enough.
 */
export async function openMicrophone(deviceId: string | null): Promise<MediaStream> {
  const devices = mediaDevices();
  try {
    return await devices.getUserMedia({
      audio: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: true,
      },
    });
  } catch (error) {
    const problem = problemOf(error);
    throw microphoneError(problem, error instanceof Error ? error.message : undefined);
  }
}

/** The microphones on this computer; their names appear once the student has allowed access. */
export async function listMicrophones(): Promise<Microphone[]> {
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices?.enumerateDevices) return [];
  const all = await devices.enumerateDevices();
  return all
    .filter((device) => device.kind === 'audioinput' && device.deviceId)
    .map((device, index) => ({
      deviceId: device.deviceId,
      label: device.label || `Microphone ${index + 1}`,
    }));
}

/** Calls `listener` when a microphone is plugged in or out. */
export function onMicrophonesChange(listener: () => void): () => void {
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices?.addEventListener) return () => {};
  devices.addEventListener('devicechange', listener);
  return () => devices.removeEventListener('devicechange', listener);
}

export interface MediaRecorderSession {
  readonly mimeType: string;
  pause(): void;
  resume(): void;
  /** Ends the recording; resolves after the last piece has been handed to `onChunk`. */
  stop(): Promise<void>;
}

export interface MediaRecorderHandlers {
  onChunk(data: Blob): void;
  /** The recorder stopped by itself (the microphone was unplugged, or an encoder error). */
  onError(error: MicrophoneError): void;
}

/** Starts MediaRecorder on the stream: WebM/Opus at 32 kbit/s, a piece every second. */
export function startMediaRecorder(
  stream: MediaStream,
  handlers: MediaRecorderHandlers,
): MediaRecorderSession {
  if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported(RECORDING_MIME_TYPE)) {
    throw microphoneError('unsupported');
  }
  let recorder: MediaRecorder;
  try {
    recorder = new MediaRecorder(stream, {
      mimeType: RECORDING_MIME_TYPE,
      audioBitsPerSecond: RECORDING_BITS_PER_SECOND,
    });
  } catch (error) {
    throw microphoneError('other', error instanceof Error ? error.message : undefined);
  }
  let stopping = false;
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve()));
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) handlers.onChunk(event.data);
  });
  recorder.addEventListener('error', () => {
    if (!stopping) handlers.onError(microphoneError('busy'));
  });
  // The microphone went away (unplugged, or access revoked): the recorder stops by itself.
  for (const track of stream.getAudioTracks()) {
    track.addEventListener('ended', () => {
      if (!stopping) handlers.onError(microphoneError('no-device'));
    });
  }
  recorder.start(CHUNK_INTERVAL_MS);
  return {
    mimeType: RECORDING_MIME_TYPE,
    pause: () => {
      if (recorder.state === 'recording') recorder.pause();
    },
    resume: () => {
      if (recorder.state === 'paused') recorder.resume();
    },
    stop() {
      stopping = true;
      if (recorder.state !== 'inactive') recorder.stop();
      return stopped;
    },
  };
}

/** Releases the microphone (the browser's "recording" indicator goes away). */
export function closeMicrophone(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
