/**
 * FOR TESTS ONLY: stand-ins for the browser's microphone (getUserMedia, enumerateDevices) and
 * MediaRecorder, which happy-dom does not have. Tests hand pieces of "recorded" audio over with
 * `emit`, as MediaRecorder would every second.
 */
import { vi } from 'vitest';

export class FakeTrack extends EventTarget {
  readonly kind = 'audio';
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

export class FakeStream {
  readonly track = new FakeTrack();
  readonly constraints: MediaStreamConstraints;
  constructor(constraints: MediaStreamConstraints) {
    this.constraints = constraints;
  }
  getAudioTracks() {
    return [this.track];
  }
  getTracks() {
    return [this.track];
  }
}

/** The first bytes of every WebM file, as MediaRecorder's first piece starts. */
export const WEBM_HEADER = [0x1a, 0x45, 0xdf, 0xa3];

export class FakeMediaRecorder extends EventTarget {
  static readonly instances: FakeMediaRecorder[] = [];
  static isTypeSupported = (type: string) => type === 'audio/webm;codecs=opus';
  state: 'inactive' | 'recording' | 'paused' = 'inactive';
  timeslice: number | undefined;
  readonly stream: FakeStream;
  readonly options: MediaRecorderOptions;
  /** What the last piece holds when the recorder is stopped. */
  finalPiece: number[] = [9, 9];

  constructor(stream: FakeStream, options: MediaRecorderOptions) {
    super();
    this.stream = stream;
    this.options = options;
    FakeMediaRecorder.instances.push(this);
  }

  start(timeslice?: number) {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  pause() {
    this.state = 'paused';
  }
  resume() {
    this.state = 'recording';
  }
  stop() {
    this.state = 'inactive';
    // MediaRecorder hands over what it still holds, then says it has stopped.
    setTimeout(() => {
      this.emit(this.finalPiece);
      this.dispatchEvent(new Event('stop'));
    });
  }
  /** A piece of the recording, as `dataavailable` delivers it. */
  emit(bytes: number[]) {
    const event = Object.assign(new Event('dataavailable'), { data: new Blob([Uint8Array.from(bytes)]) });
    this.dispatchEvent(event);
  }
}

/** Puts the browser back as it was (call after each test). */
export function uninstallFakeMicrophone(): void {
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
  vi.unstubAllGlobals();
}

export interface FakeMicrophone {
  /** Streams handed out by getUserMedia. */
  streams: FakeStream[];
  recorders: FakeMediaRecorder[];
  /** The recorder of the current recording. */
  recorder(): FakeMediaRecorder;
}

/**
 * Installs the fakes as the browser's (`deny` makes getUserMedia refuse the way a browser does).
 * Web Audio stays missing, so the level meter and live-caption tap are off.
 */
export function installFakeMicrophone(
  options: {
    deny?: 'NotAllowedError' | 'NotFoundError';
    devices?: { deviceId: string; label: string }[];
  } = {},
): FakeMicrophone {
  FakeMediaRecorder.instances.length = 0;
  const streams: FakeStream[] = [];
  const devices = options.devices ?? [{ deviceId: 'default-mic', label: 'Built-in microphone' }];
  const mediaDevices = {
    getUserMedia: vi.fn(async (constraints: MediaStreamConstraints) => {
      await Promise.resolve();
      if (options.deny) throw new DOMException('Permission denied', options.deny);
      const stream = new FakeStream(constraints);
      streams.push(stream);
      return stream;
    }),
    enumerateDevices: vi.fn(async () =>
      devices.map((device) => ({ ...device, kind: 'audioinput', groupId: 'g' })),
    ),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
  };
  Object.defineProperty(navigator, 'mediaDevices', { value: mediaDevices, configurable: true });
  vi.stubGlobal('MediaRecorder', FakeMediaRecorder);
  vi.stubGlobal('AudioContext', undefined);
  return {
    streams,
    recorders: FakeMediaRecorder.instances,
    recorder() {
      const last = FakeMediaRecorder.instances.at(-1);
      if (!last) throw new Error('no recorder was started');
      return last;
    },
  };
}
