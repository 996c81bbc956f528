import { stat } from 'node:fs/promises';
import type { LlamaModel } from 'node-llama-cpp';
import { firstLine, GPU_NAMES, type LlamaRuntime } from './llama-runtime.js';

export interface ModelOnDevice {
  model: LlamaModel;
  /** Layers on the graphics card (0: all on the processor). */
  gpuLayers: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Loads a GGUF model with as many layers on the GPU as its free memory holds (node-llama-cpp's
 * own estimate of the model and a context), and on the processor when there is no GPU, too
 * little free memory, or the GPU fails to take it: a model always loads if the processor can run
 * it. The runtime's note says why a model is not on the graphics card.
 */
export async function loadModelOnDevice(runtime: LlamaRuntime, modelPath: string): Promise<ModelOnDevice> {
  if (!runtime.gpu) return loadModelOnCpu(runtime, modelPath, runtime.note);
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
    return loadModelOnCpu(
      runtime,
      modelPath,
      `The graphics card (${gpu}) has too little free memory for this model (${mb(vram.free)} free), so it runs on the processor.`,
    );
  }
  try {
    const model = await runtime.llama.loadModel({ modelPath, gpuLayers });
    runtime.note = null;
    return { model, gpuLayers };
  } catch (error) {
    // Out of graphics memory after all (another program took it), or a driver problem.
    return loadModelOnCpu(
      runtime,
      modelPath,
      `The graphics card (${gpu}) could not take this model (${firstLine(error)}), so it runs on the processor.`,
    );
  }
}

/**
 * Loads the model on the processor, with `note` saying why (null: nothing to say). Also where a
 * model goes when the graphics card fails while it runs (out of its memory mid-answer).
 */
export async function loadModelOnCpu(
  runtime: LlamaRuntime,
  modelPath: string,
  note: string | null,
): Promise<ModelOnDevice> {
  runtime.note = note;
  return { model: await runtime.llama.loadModel({ modelPath, gpuLayers: 0 }), gpuLayers: 0 };
}

/** The note for a model that the graphics card failed while it ran, moved to the processor. */
export const failedOnGpuNote = (runtime: LlamaRuntime, error: unknown) =>
  `The graphics card (${runtime.gpu ? GPU_NAMES[runtime.gpu] : 'GPU'}) failed during an answer ` +
  `(${firstLine(error)}), so the model now runs on the processor.`;
