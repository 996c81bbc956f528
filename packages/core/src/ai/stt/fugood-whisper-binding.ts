import { createRequire } from 'node:module';
import type {
  WhisperBinding,
  WhisperBindingOptions,
  WindowParams,
  WindowResult,
  WindowSegment,
} from './whisper-binding.js';

/** The part of @fugood/whisper.node used here (it ships TypeScript sources, not declarations). */
interface WhisperNode {
  initWhisper(
    options: { filePath: string; useGpu: boolean },
    variant: 'default' | 'vulkan' | 'cuda',
  ): Promise<WhisperContext>;
}

interface WhisperContext {
  /** `audio` is 16 kHz mono 16-bit PCM. */
  transcribeData(
    audio: ArrayBuffer,
    options: {
      maxThreads: number;
      language: string;
      prompt: string;
      tokenTimestamps?: boolean;
      maxLen?: number;
    },
  ): { stop: () => Promise<void>; promise: Promise<TranscribeResult> };
}

interface TranscribeResult {
  /** whisper.cpp's code of the language used or detected. */
  language?: string;
  /** Times in milliseconds. */
  segments: { text: string; t0: number; t1: number }[];
}

/** CommonJS, loaded on first use (its binary is picked per platform and variant). */
const loadWhisperNode = () => createRequire(import.meta.url)('@fugood/whisper.node') as WhisperNode;

/**
 * whisper.cpp through @fugood/whisper.node (prebuilt for Windows, macOS and Linux on x64 and
 * arm64): asynchronous, off the JavaScript thread. It takes 16-bit samples and always runs the
 * whole 30 s encoder window (it has no audio-context, single-segment or token-limit options).
 */
export class FugoodWhisperBinding implements WhisperBinding {
  readonly name = 'fugood';
  readonly fullAudioContext = FULL_AUDIO_CONTEXT;

  private constructor(private readonly context: WhisperContext) {}

  static async load({ modelPath, useGpu }: WhisperBindingOptions): Promise<FugoodWhisperBinding> {
    // The Vulkan build when it is installed and the graphics card is wanted; else the default
    // build (Metal on Apple Silicon, the CPU elsewhere). whisper.cpp itself falls back to the
    // CPU when no device answers.
    const context = await loadWhisperNode().initWhisper(
      { filePath: modelPath, useGpu },
      useGpu ? 'vulkan' : 'default',
    );
    return new FugoodWhisperBinding(context);
  }

  async transcribeWindow(audio: Float32Array, request: WindowParams): Promise<WindowResult> {
    const { promise } = this.context.transcribeData(toPcm16(audio), {
      maxThreads: request.threads,
      language: request.language,
      prompt: request.initialPrompt,
      // One segment per token with its own times; joined into words below.
      ...(request.words ? { tokenTimestamps: true, maxLen: 1 } : {}),
    });
    const result: TranscribeResult = await promise;
    // whisper's times, in milliseconds from the window's start.
    const segments: WindowSegment[] = result.segments.map((segment) => ({
      text: segment.text,
      startSec: segment.t0 / 1000,
      endSec: segment.t1 / 1000,
    }));
    return {
      segments: request.words ? joinTokenPieces(segments) : segments,
      language: result.language || null,
    };
  }
}

const FULL_AUDIO_CONTEXT = 1500;

function toPcm16(samples: Float32Array): ArrayBuffer {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  }
  return pcm.buffer;
}

/** Token pieces (" hel", "lo") as words ("hello"): a piece starting with a space starts a word. */
export function joinTokenPieces(pieces: WindowSegment[]): WindowSegment[] {
  const words: WindowSegment[] = [];
  for (const piece of pieces) {
    const last = words.at(-1);
    if (last && !/^\s/.test(piece.text)) {
      last.text += piece.text;
      last.endSec = Math.max(last.endSec, piece.endSec);
    } else {
      words.push({ ...piece });
    }
  }
  return words;
}
