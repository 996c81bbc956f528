import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { tempDir } from '../../test-support/temp-core.js';
import { probeHardware } from '../hardware/hardware-probe.js';
import { nodeLlamaGpuProbe, type GpuProbe } from './gpu-probe.js';
import { loadModelOnDevice } from './gpu-offload.js';
import { startRuntime, type LlamaRuntime } from './llama-runtime.js';

// The machines tests run on have no GPU: the probe's answers are injected (what the machine
// reports); selection, fallback, offload sizing and loading run for real, on llama.cpp's CPU build.
const real = nodeLlamaGpuProbe(() => undefined);
const GB = 1024 ** 3;

let dir: ReturnType<typeof tempDir>;
let modelPath: string;
beforeAll(() => {
  dir = tempDir('lm-gpu-');
  modelPath = makeTestChatModel(dir.path).path;
});
afterAll(() => dir?.remove());

/** The model answers: it loaded and evaluates tokens on whatever device it was given. */
async function expectWorkingModel(runtime: LlamaRuntime) {
  const placed = await loadModelOnDevice(runtime, modelPath);
  try {
    const context = await placed.model.createContext({ contextSize: 256, threads: 1 });
    const sequence = context.getSequence();
    const tokens = placed.model.tokenize('Hello');
    let generated = 0;
    for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
      expect(typeof token).toBe('number');
      if (++generated === 3) break;
    }
    await context.dispose();
    return placed;
  } finally {
    await placed.model.dispose();
  }
}

describe('choosing where local AI runs', () => {
  it('uses the processor, without a note, on a computer without a GPU build to try', async () => {
    const probe: GpuProbe = { ...real, backends: async () => [] };
    const runtime = await startRuntime('auto', probe);
    expect(runtime).toMatchObject({ gpu: null, note: null });
    const placed = await expectWorkingModel(runtime);
    expect(placed.gpuLayers).toBe(0);
    expect(runtime.note).toBeNull();
    expect((await probeHardware(runtime)).gpu).toBeNull();
  });

  it('falls back to the processor, and says why, when the GPU fails to load', async () => {
    const tried: (string | false)[] = [];
    const probe: GpuProbe = {
      ...real,
      backends: async () => ['cuda', 'vulkan'],
      load: (gpu) => {
        tried.push(gpu);
        if (gpu === 'cuda') return Promise.reject(new Error('CUDA driver version is insufficient\nmore'));
        return real.load(false); // Vulkan "loads", but llama.cpp finds no device on it
      },
    };
    const runtime = await startRuntime('auto', probe);
    expect(tried).toEqual(['cuda', 'vulkan', false]);
    expect(runtime.gpu).toBeNull();
    expect(runtime.note).toBe(
      'The graphics card could not be used (CUDA: CUDA driver version is insufficient; Vulkan: no device answered), ' +
        'so local AI runs on the processor.',
    );
    const placed = await expectWorkingModel(runtime);
    expect(placed.gpuLayers).toBe(0);
    expect((await probeHardware(runtime)).gpuNote).toBe(runtime.note);
  });

  it('never tries the GPU when "Use the graphics card" is off', async () => {
    const tried: (string | false)[] = [];
    const probe: GpuProbe = {
      ...real,
      backends: async () => ['vulkan'],
      load: (gpu) => (tried.push(gpu), real.load(false)),
    };
    expect(await startRuntime('off', probe)).toMatchObject({ gpu: null, note: null });
    expect(tried).toEqual([false]);
  });

  it('keeps a model on the processor, and says so, when the GPU has too little free memory', async () => {
    const llama = await real.load(false);
    const probe: GpuProbe = { ...real, vram: async () => ({ total: 2 * GB, free: 0 }) };
    const runtime: LlamaRuntime = { llama, gpu: 'vulkan', note: null, probe };
    const placed = await expectWorkingModel(runtime);
    expect(placed.gpuLayers).toBe(0);
    expect(runtime.note).toBe(
      'The graphics card (Vulkan) has too little free memory for this model (0 MB free), so it runs on the processor.',
    );
  });
});
