import type { Llama } from 'node-llama-cpp';

export type GpuBackend = 'metal' | 'cuda' | 'vulkan';

/** Graphics memory, in bytes. */
export interface VramState {
  total: number;
  free: number;
}

/**
 * What the runtime asks of the machine about GPUs: the one seam tests replace, to run the real
 * selection, fallback and offload code with the answers of machines that have no GPU, a GPU that
 * fails to load, or one with too little memory.
 */
export interface GpuProbe {
  /** GPU backends this platform has builds for, best first. */
  backends(): Promise<GpuBackend[]>;
  /** llama.cpp on a backend (false: the CPU). Rejects when the backend cannot load. */
  load(gpu: GpuBackend | false): Promise<Llama>;
  /** The memory of the device `llama` runs on. */
  vram(llama: Llama): Promise<VramState>;
}

/** The real probe: node-llama-cpp's prebuilt binaries (never compiled here). */
export function nodeLlamaGpuProbe(log: (message: string) => void): GpuProbe {
  const nodeLlama = () => import('node-llama-cpp');
  return {
    async backends() {
      const { getLlamaGpuTypes } = await nodeLlama();
      return (await getLlamaGpuTypes('supported')).filter((gpu): gpu is GpuBackend => gpu !== false);
    },
    async load(gpu) {
      const { getLlama, LlamaLogLevel } = await nodeLlama();
      return getLlama({
        gpu,
        build: 'never',
        // A GPU build that does not run here is the runtime's note, not a line on stderr.
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: (_level, message) => log(message),
      });
    },
    async vram(llama) {
      const { total, free } = await llama.getVramState();
      return { total, free };
    },
  };
}
