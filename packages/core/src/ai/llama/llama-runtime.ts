import type { Llama } from 'node-llama-cpp';
import type { Settings } from '../../contract/index.js';
import { nodeLlamaGpuProbe, type GpuBackend, type GpuProbe } from './gpu-probe.js';

/** The last lines llama.cpp logged, so a failed load can say why. */
const recentLog: { seq: number; message: string }[] = [];
const RECENT_LINES = 20;
let logged = 0;

/** "Use the graphics card" in Settings: 'auto' takes the best one that works, 'off' never. */
export type GpuPreference = Settings['useGpu'];

/** llama.cpp as loaded, on the device it runs on. */
export interface LlamaRuntime {
  llama: Llama;
  /** The GPU backend in use, or null on the processor. */
  gpu: GpuBackend | null;
  /**
   * Why local AI is not (all) on the graphics card although there is one, for Settings; null when
   * it is where it should be. Set when the GPU fails to load, and by each model load or fallback
   * after that (gpu-offload.ts): it describes the last model placed.
   */
  note: string | null;
  probe: GpuProbe;
}

/** One runtime per preference, for the process: starting one tries the GPU builds (seconds). */
const runtimes = new Map<GpuPreference, Promise<LlamaRuntime>>();

/**
 * The process's llama.cpp runtime for `preference`, imported on first use (the native module is
 * heavy): on the best GPU backend that loads when the preference allows (Metal, CUDA, Vulkan),
 * else the CPU. 'off' never tries a GPU build, so it is also what device-free work uses
 * (tokenizers). llama.cpp's own logging is kept, quietly, to explain load failures.
 */
export function loadLlamaRuntime(preference: GpuPreference): Promise<LlamaRuntime> {
  let runtime = runtimes.get(preference);
  if (!runtime) {
    runtime = startRuntime(preference, nodeLlamaGpuProbe(logLine));
    runtimes.set(preference, runtime);
    // A runtime that failed to start (a broken install) is tried again at the next use.
    runtime.catch(() => runtimes.delete(preference));
  }
  return runtime;
}

/** The runtime for `preference` if this process has started it, without starting it. */
export const startedLlamaRuntime = (preference: GpuPreference): Promise<LlamaRuntime> | undefined =>
  runtimes.get(preference);

/** Starts a runtime for `wanted` with `probe` (exported for tests that inject the probe's answers). */
export async function startRuntime(wanted: GpuPreference, probe: GpuProbe): Promise<LlamaRuntime> {
  const failures: string[] = [];
  if (wanted === 'auto') {
    for (const gpu of await probe.backends()) {
      try {
        const llama = await probe.load(gpu);
        if (llama.gpu === gpu) return { llama, gpu, note: null, probe };
        failures.push(`${GPU_NAMES[gpu]}: no device answered`);
      } catch (error) {
        failures.push(`${GPU_NAMES[gpu]}: ${loadFailure(error)}`);
      }
    }
  }
  const llama = await probe.load(false);
  const note = failures.length
    ? `The graphics card could not be used (${failures.join('; ')}), so local AI runs on the processor.`
    : null;
  return { llama, gpu: null, note, probe };
}

export const GPU_NAMES: Record<GpuBackend, string> = { metal: 'Metal', cuda: 'CUDA', vulkan: 'Vulkan' };

/** The first line of an error, in words a student can pass on. */
export const firstLine = (error: unknown) =>
  ((error as Error).message ?? String(error)).split('\n')[0]!.slice(0, 200);

/** node-llama-cpp says only "NoBinaryFoundError" when a GPU build does not run on this system. */
const loadFailure = (error: unknown) =>
  (error as Error).name === 'NoBinaryFoundError' || firstLine(error) === 'NoBinaryFoundError'
    ? 'its driver is missing or does not work with this build'
    : firstLine(error);

function logLine(message: string): void {
  recentLog.push({ seq: logged++, message: message.trim() });
  if (recentLog.length > RECENT_LINES) recentLog.shift();
}

/** What llama.cpp logged since `mark` (a value returned by `logMark`). */
export const logMark = () => logged;
export const loggedSince = (mark: number) =>
  recentLog
    .filter((line) => line.seq >= mark && line.message)
    .map((line) => line.message)
    .join('\n');
