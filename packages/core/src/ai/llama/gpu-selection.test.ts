import type { Llama, LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { tempDir } from '../../test-support/temp-core.js';
import { LlamaCppLlmEngine } from '../llm/llama-cpp-llm-engine.js';
import { nodeLlamaGpuProbe, type GpuProbe } from './gpu-probe.js';
import { loadModelOnDevice } from './gpu-offload.js';
import { describeGraphics } from './graphics-info.js';
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
    expect(await describeGraphics(runtime)).toEqual({ backend: null, devices: [], vram: null, note: null });
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
    expect(await describeGraphics(runtime)).toMatchObject({ backend: null, note: runtime.note });
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

describe('a chat model whose graphics card fails during an answer', () => {
  /**
   * A runtime that reports a roomy Vulkan card (the model is placed with layers "on it") and
   * hands out the models it loads, so the test can pull the first one away mid-answer: llama.cpp
   * then fails the evaluation for real, as it does when a card runs out of memory.
   */
  async function failingGpuRuntime() {
    const llama = await real.load(false);
    const loaded: LlamaModel[] = [];
    const loadModel: Llama['loadModel'] = async (options) => {
      const model = await llama.loadModel(options);
      loaded.push(model);
      return model;
    };
    const probe: GpuProbe = { ...real, vram: async () => ({ total: 8 * GB, free: 8 * GB }) };
    const runtime: LlamaRuntime = {
      llama: Object.assign(Object.create(llama) as Llama, { loadModel }),
      gpu: 'vulkan',
      note: null,
      probe,
    };
    return { runtime, loaded };
  }

  const load = (runtime: LlamaRuntime) =>
    LlamaCppLlmEngine.load({
      modelPath,
      modelId: 'chat',
      label: 'Chat',
      threads: 1,
      contextSize: 512,
      runtime,
    });

  it('moves to the processor and finishes the answer, streaming nothing twice', async () => {
    const { runtime, loaded } = await failingGpuRuntime();
    const engine = await load(runtime);
    try {
      expect(engine.gpuLayers).toBeGreaterThan(0);
      const pieces: string[] = [];
      const result = await engine.generate({
        system: 'You are a study tutor.',
        history: [],
        prompt: 'What is a trace tree?',
        maxTokens: 40,
        temperature: 0,
        onText: (text) => {
          pieces.push(text);
          if (pieces.length === 5) void loaded[0]!.dispose(); // the card is gone
        },
      });
      expect(loaded.length).toBe(2); // loaded again, on the processor
      expect(engine.gpuLayers).toBe(0);
      expect(result.finish).toBe('length');
      expect(pieces.length).toBeGreaterThan(5);
      expect(pieces.join('')).toBe(result.text);
      expect(runtime.note).toMatch(
        /^The graphics card \(Vulkan\) failed during an answer \(.+\), so the model now runs on the processor\.$/,
      );
      // The next answer runs on the processor without another move.
      const next = await engine.generate({ system: 'S', history: [], prompt: 'Again?', maxTokens: 8 });
      expect(next.usage.outputTokens).toBe(8);
      expect(loaded.length).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it('stays on the card, with no note, when the answer format is what fails', async () => {
    const { runtime, loaded } = await failingGpuRuntime();
    const engine = await load(runtime);
    try {
      const answer = engine.generate({
        system: 'You are a study tutor.',
        history: [],
        prompt: 'Answer in the format.',
        maxTokens: 20,
        jsonSchema: { const: { a: 1 } }, // llama.cpp's grammar cannot express an object constant
      });
      await expect(answer).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(loaded.length).toBe(1); // not loaded again
      expect(engine.gpuLayers).toBeGreaterThan(0);
      expect(runtime.note).toBeNull();
    } finally {
      await engine.close();
    }
  });
});
