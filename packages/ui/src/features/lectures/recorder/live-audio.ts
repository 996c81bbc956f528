/**
 * The browser's Web Audio side of recording: an input level for the meter, and the microphone
 * as 16 kHz blocks for live captions (through the AudioWorklet in public/audio/).
 */
import { LiveBlocks, type LiveBlock } from './live-blocks';

/** The worklet is a file of the app (allowed by `script-src 'self'`; a blob: URL would not be). */
const WORKLET_PATH = 'audio/pcm-capture-worklet.js';
const WORKLET_NAME = 'lm-pcm-capture';

export interface LiveAudioHandlers {
  /** A half-second of 16 kHz audio, in order. */
  onBlock(block: LiveBlock): void;
  /** Where the recording is now (ms, paused time excluded): places the first block. */
  positionMs(): number;
}

export interface LiveAudio {
  /** Why live captions cannot run here (the level meter may still work), or null. */
  readonly captionsProblem: string | null;
  /** Input loudness now, 0 (silence, -60 dB or less) to 1 (full scale). */
  level(): number;
  pause(): void;
  resume(): void;
  /** Sends what is left and releases the audio device. */
  close(): Promise<void>;
}

/** Loudness in dB mapped onto 0..1, so quiet speech still moves the meter. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const value of samples) sum += value * value;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms <= 0) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
}

export async function startLiveAudio(stream: MediaStream, handlers: LiveAudioHandlers): Promise<LiveAudio> {
  if (typeof AudioContext === 'undefined') {
    return {
      captionsProblem: 'This window has no Web Audio, so there are no live captions.',
      level: () => 0,
      pause() {},
      resume() {},
      close: () => Promise.resolve(),
    };
  }
  // Started from the click on Record, so the browser lets it run.
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const levelBuffer = new Float32Array(analyser.fftSize);

  let node: AudioWorkletNode | null = null;
  let captionsProblem: string | null = null;
  let blocks: LiveBlocks | null = null;
  let stopped: (() => void) | null = null;
  try {
    await context.audioWorklet.addModule(new URL(WORKLET_PATH, document.baseURI).href);
    node = new AudioWorkletNode(context, WORKLET_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    node.port.onmessage = (event: MessageEvent<Float32Array | 'paused' | 'stopped'>) => {
      const data = event.data;
      if (data === 'paused' || data === 'stopped') {
        const rest = blocks?.flush();
        if (rest) handlers.onBlock(rest);
        if (data === 'stopped') stopped?.();
        return;
      }
      if (!blocks) {
        // The recorder started a moment before this tap: the first batch ends where the recording is now.
        const batchMs = (data.length / context.sampleRate) * 1000;
        blocks = new LiveBlocks(context.sampleRate, Math.max(0, handlers.positionMs() - batchMs));
      }
      for (const block of blocks.push(data)) handlers.onBlock(block);
    };
    source.connect(node);
    // A worklet is run only while its output leads somewhere; it writes silence.
    node.connect(context.destination);
  } catch (error) {
    captionsProblem = `Live captions could not start in this window (${error instanceof Error ? error.message : String(error)}). The recording is not affected.`;
  }
  if (context.state === 'suspended') await context.resume().catch(() => {});

  return {
    captionsProblem,
    level() {
      analyser.getFloatTimeDomainData(levelBuffer);
      return levelOf(levelBuffer);
    },
    pause: () => node?.port.postMessage('pause'),
    resume: () => node?.port.postMessage('resume'),
    async close() {
      if (node) {
        // Waits (briefly) for the worklet's last samples, then lets the audio device go.
        await new Promise<void>((resolve) => {
          stopped = resolve;
          node!.port.postMessage('stop');
          setTimeout(resolve, 500);
        });
        node.disconnect();
      }
      source.disconnect();
      await context.close().catch(() => {});
    },
  };
}
