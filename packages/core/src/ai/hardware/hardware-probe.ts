import os from 'node:os';
import { GPU_NAMES, type LlamaRuntime } from '../llama/llama-runtime.js';

/** What this computer can run local AI on: the model picker and the first-run setup read it. */
export interface HardwareInfo {
  cpu: { model: string; cores: number };
  memory: { totalBytes: number; freeBytes: number };
  /** The graphics card local AI runs on, or null when it runs on the processor. */
  gpu: { backend: string; devices: string[]; vramTotalBytes: number; vramFreeBytes: number } | null;
  /** Why a graphics card is not used although one was found; null otherwise. */
  gpuNote: string | null;
}

/** Probes the processor, memory and GPU of `runtime` (loadLlamaRuntime: the device models use). */
export async function probeHardware(runtime: LlamaRuntime): Promise<HardwareInfo> {
  const { llama, gpu, note, probe } = runtime;
  const cpus = os.cpus();
  const vram = gpu ? await probe.vram(llama) : null;
  return {
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism() },
    memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    gpu:
      gpu && vram
        ? {
            backend: GPU_NAMES[gpu],
            devices: await llama.getGpuDeviceNames(),
            vramTotalBytes: vram.total,
            vramFreeBytes: vram.free,
          }
        : null,
    gpuNote: note,
  };
}
