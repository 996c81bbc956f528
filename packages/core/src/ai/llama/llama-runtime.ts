import type { Llama } from 'node-llama-cpp';
import { nodeLlamaGpuProbe, type GpuBackend, type GpuProbe } from './gpu-probe.js';

/** The last lines llama.cpp logged, so a failed load can say why. */
const recentLog: { seq: number; message: string }[] = [];
const RECENT_LINES = 20;
let logged = 0;

/** "Use the graphics card" in Settings: 'auto' takes the best one that works, 'off' never. */
export type GpuPreference = 'auto' | 'off';

/** llama.cpp as loaded, on the device it runs on. */
export interface LlamaRuntime {
  llama: Llama;
  /** The GPU backend in use, or null on the processor. */
  gpu: GpuBackend | null;
  /** Why a GPU that was found is not used (it failed to load), for Settings; null otherwise. */
  note: string | null;
  probe: GpuProbe;
}

let preference: GpuPreference = 'auto';
let runtime: Promise<LlamaRuntime> | undefined;

/**
 * Sets "Use the graphics card"; models loaded afterwards follow it (a loaded model keeps its
 * device until it is loaded again).
 */
export function setGpuPreference(next: GpuPreference): void {
  if (next === preference) return;
  preference = next;
  runtime = undefined;
}

/**
 * The process's llama.cpp runtime, imported on first use (the native module is heavy): on the
 * best GPU backend that loads when the preference allows (Metal, CUDA, Vulkan), else the CPU.
 * llama.cpp's own logging is kept, quietly, to explain load failures instead of printing.
 */
export function loadLlamaRuntime(probe: GpuProbe = nodeLlamaGpuProbe(logLine)): Promise<LlamaRuntime> {
  runtime ??= startRuntime(preference, probe);
  return runtime;
}

/** The runtime's llama.cpp (for what does not depend on the device: tokenizers, grammars). */
export const loadLlama = async (): Promise<Llama> => (await loadLlamaRuntime()).llama;

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
        failures.push(`${GPU_NAMES[gpu]}: ${firstLine(error)}`);
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

const firstLine = (error: unknown) =>
  ((error as Error).message ?? String(error)).split('\n')[0]!.slice(0, 200);

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
