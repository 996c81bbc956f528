import type { GraphicsInfo } from '../../contract/index.js';
import { GPU_NAMES, type LlamaRuntime } from './llama-runtime.js';

/** Where `runtime` runs local AI: the backend, its cards and their memory, or why not on one. */
export async function describeGraphics(runtime: LlamaRuntime): Promise<GraphicsInfo> {
  const { llama, gpu, note, probe } = runtime;
  if (!gpu) return { backend: null, devices: [], vram: null, note };
  const vram = await probe.vram(llama);
  return {
    backend: GPU_NAMES[gpu],
    devices: await llama.getGpuDeviceNames(),
    vram: { totalBytes: vram.total, freeBytes: vram.free },
    note,
  };
}
