import { stat } from 'node:fs/promises';
import type { LlamaModel } from 'node-llama-cpp';
import { GPU_NAMES, type LlamaRuntime } from './llama-runtime.js';

export interface ModelOnDevice {
  model: LlamaModel;
  /** Layers on the graphics card (0: all on the processor). */
  gpuLayers: number;
  /** Why the model is not on the graphics card although there is one; null otherwise. */
  note: string | null;
}

/** The note Settings shows about the last model loaded (null when it went where it should). */
let lastNote: string | null = null;
export const lastGpuNote = () => lastNote;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Loads a GGUF model with as many layers on the GPU as its free memory holds (node-llama-cpp's
 * own estimate of the model and a context), and on the processor when there is no GPU, too
 * little free memory, or the GPU fails to take it: a model always loads if the processor can run it.
 */
export async function loadModelOnDevice(runtime: LlamaRuntime, modelPath: string): Promise<ModelOnDevice> {
  const onCpu = async (note: string | null): Promise<ModelOnDevice> => {
    lastNote = note;
    return { model: await runtime.llama.loadModel({ modelPath, gpuLayers: 0 }), gpuLayers: 0, note };
  };
  if (!runtime.gpu) return onCpu(runtime.note);
  const gpu = GPU_NAMES[runtime.gpu];
  const vram = await runtime.probe.vram(runtime.llama);
  const { GgufInsights, readGgufFileInfo } = await import('node-llama-cpp');
  const insights = await GgufInsights.from(await readGgufFileInfo(modelPath), runtime.llama);
  const resolved = await insights.configurationResolver.resolveModelGpuLayersV2('auto', {
    getVramState: () => Promise.resolve(vram),
    llamaGpu: runtime.gpu,
    llamaSupportsGpuOffloading: true,
  });
  // The weights of the layers offloaded must fit in any case (the estimate above also counts
  // a context, but it is made by the runtime in use, which may not be the GPU one yet).
  const layerBytes = (await stat(modelPath)).size / insights.totalLayers;
  const gpuLayers = Math.min(resolved.gpuLayers, Math.floor(vram.free / layerBytes));
  if (gpuLayers === 0) {
    return onCpu(
      `The graphics card (${gpu}) has too little free memory for this model (${mb(vram.free)} free), so it runs on the processor.`,
    );
  }
  try {
    const model = await runtime.llama.loadModel({ modelPath, gpuLayers });
    lastNote = null;
    return { model, gpuLayers, note: null };
  } catch (error) {
    // Out of graphics memory after all (another program took it), or a driver problem.
    const reason = ((error as Error).message ?? String(error)).split('\n')[0];
    return onCpu(
      `The graphics card (${gpu}) could not take this model (${reason}), so it runs on the processor.`,
    );
  }
}
