/**
 * The whisper.cpp binding a WhisperTranscriber's worker thread runs. Two are used, by measurement
 * (README, "Platforms"): @napi-rs/whisper where it has a build (Linux x64, macOS), since it can
 * size the encoder to a short utterance (live captions about 10x faster on the CPU), and
 * @fugood/whisper.node everywhere else (Windows, Linux arm64), which runs every 30 s window in full.
 */

/** How one window of at most 30 s is transcribed (the worker's policy, the binding's mechanics). */
export interface WindowParams {
  threads: number;
  /** 'auto' or a whisper language code. */
  language: string;
  initialPrompt: string;
  /** One segment per word, timed by its tokens. */
  words: boolean;
  /** Encoder positions to run (0 = the whole 30 s window). Only @napi-rs/whisper can shorten it. */
  audioContext: number;
  /** One segment for the whole window (a live caption's single utterance). */
  singleSegment: boolean;
  /** Stop decoding after this many tokens (0 = no limit). */
  maxTokens: number;
}

export interface WindowSegment {
  /** Seconds from the start of the window given. */
  startSec: number;
  endSec: number;
  text: string;
}

export interface WindowResult {
  segments: WindowSegment[];
  /** The language whisper used or detected, or null when it could not say. */
  language: string | null;
}

export type WhisperBindingName = 'napi-rs' | 'fugood';

export interface WhisperBinding {
  readonly name: WhisperBindingName;
  /** Positions of the model's full encoder window (1500 for 30 s). */
  readonly fullAudioContext: number;
  transcribeWindow(audio: Float32Array, params: WindowParams): Promise<WindowResult>;
}

export interface WhisperBindingOptions {
  modelPath: string;
  /** Use the graphics card when the binding has a build for one (Metal, Vulkan). */
  useGpu: boolean;
}

/**
 * Loads the model with the binding asked for, or for 'auto' the first of @napi-rs/whisper and
 * @fugood/whisper.node that has a build for this platform; on the processor when the graphics
 * card is wanted but fails to take it. Throws if the model cannot be loaded.
 */
export async function loadWhisperBinding(
  choice: WhisperBindingName | 'auto',
  options: WhisperBindingOptions,
): Promise<WhisperBinding> {
  try {
    return await loadWith(choice, options);
  } catch (error) {
    if (!options.useGpu) throw error;
    return loadWith(choice, { ...options, useGpu: false });
  }
}

async function loadWith(
  choice: WhisperBindingName | 'auto',
  options: WhisperBindingOptions,
): Promise<WhisperBinding> {
  if (choice !== 'fugood') {
    const napi = await import('./napi-whisper-binding.js').catch((error: unknown) => {
      if (choice === 'napi-rs') throw error;
      return null; // no build for this platform: the module's native part did not load
    });
    if (napi) return napi.NapiWhisperBinding.load(options);
  }
  const { FugoodWhisperBinding } = await import('./fugood-whisper-binding.js');
  return FugoodWhisperBinding.load(options);
}
