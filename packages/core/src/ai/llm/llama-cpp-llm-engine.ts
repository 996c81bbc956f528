import type {
  ChatHistoryItem,
  LlamaChatSession,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from 'node-llama-cpp';
import { AppError } from '../../contract/index.js';
import { damagedGgufModel, ensureGgufModelFile } from '../llama/gguf-model-file.js';
import {
  failedOnGpuNote,
  loadModelOnCpu,
  loadModelOnDevice,
  type ModelOnDevice,
} from '../llama/gpu-offload.js';
import { loggedSince, logMark, type LlamaRuntime } from '../llama/llama-runtime.js';
import type {
  FinishReason,
  GenerateRequest,
  GenerateResult,
  JsonSchema,
  LlmEngine,
  LlmEngineInfo,
} from './llm-engine.js';

export interface LlamaCppLlmEngineOptions {
  modelPath: string;
  modelId: string;
  label: string;
  /** Evaluation threads; always explicit (the library default oversubscribes 2-core laptops). */
  threads: number;
  /** Tokens of context (prompt + answer); capped by what the model was trained on. */
  contextSize: number;
  /** llama.cpp on the device "Use the graphics card" allows (loadLlamaRuntime). */
  runtime: LlamaRuntime;
}

const DEFAULT_TEMPERATURE = 0.7;

/** The model and the one context sequence that serves every request. */
interface Loaded {
  model: LlamaModel;
  /** Layers on the graphics card (0: on the processor). */
  gpuLayers: number;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  session: LlamaChatSession;
}

/** What one answer has streamed so far, kept across a move to the processor. */
interface Streamed {
  text: string;
  promptTokens: number;
  outputTokens: number;
}

/**
 * A local chat model through llama.cpp (node-llama-cpp), on the graphics card when the runtime
 * has one and it has room (else on the processor). One context sequence serves every request,
 * one at a time: node-llama-cpp compares a new prompt's tokens with what the sequence already
 * holds and evaluates only what differs, so the fixed system prompt, and a conversation's earlier
 * turns when the same conversation continues, are not evaluated again. When the graphics card
 * fails during an answer (out of its memory: another program took it), the model moves to the
 * processor and the answer carries on from where it was; the student sees no failure.
 */
export class LlamaCppLlmEngine implements LlmEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private closed = false;

  private constructor(
    readonly info: LlmEngineInfo,
    private readonly options: LlamaCppLlmEngineOptions,
    private loaded: Loaded,
  ) {}

  static async load(options: LlamaCppLlmEngineOptions): Promise<LlamaCppLlmEngine> {
    const { modelPath, modelId, runtime } = options;
    const ref = { modelId, modelPath, role: 'chat model' };
    await ensureGgufModelFile(ref);
    const mark = logMark();
    let placed: ModelOnDevice | undefined;
    try {
      placed = await loadModelOnDevice(runtime, modelPath);
      const loaded = await withSession(placed, options);
      const info = {
        id: modelId,
        label: options.label,
        cloud: false,
        contextTokens: loaded.context.contextSize,
      };
      return new LlamaCppLlmEngine(info, options, loaded);
    } catch (error) {
      await placed?.model.dispose();
      throw damagedGgufModel(ref, `${(error as Error).message}\n${loggedSince(mark)}`.trim());
    }
  }

  /** Layers of the model on the graphics card now (0: it runs on the processor). */
  get gpuLayers(): number {
    return this.loaded.gpuLayers;
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    // One sequence: requests take turns (a second one waits for the first to finish or stop).
    const turn = this.queue.then(() => this.generateNow(request));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  async countTokens(text: string): Promise<number> {
    return this.loaded.model.tokenize(text).length;
  }

  async countRequestTokens(request: Pick<GenerateRequest, 'system' | 'history' | 'prompt'>): Promise<number> {
    const { contextText } = this.loaded.session.chatWrapper.generateContextState({
      chatHistory: [
        ...chatHistory(request),
        { type: 'user', text: request.prompt },
        { type: 'model', response: [] },
      ],
    });
    return contextText.tokenize(this.loaded.model.tokenizer).length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await unload(this.loaded);
  }

  private async generateNow(request: GenerateRequest): Promise<GenerateResult> {
    if (this.closed) throw new AppError('ENGINE_UNAVAILABLE', 'The chat model was unloaded.');
    if (request.signal?.aborted)
      return { text: '', finish: 'stopped', usage: { promptTokens: 0, outputTokens: 0 } };
    const streamed: Streamed = { text: '', promptTokens: 0, outputTokens: 0 };
    try {
      return await this.answer(request, streamed);
    } catch (error) {
      if (this.loaded.gpuLayers === 0 || request.signal?.aborted || !isDeviceFailure(error)) throw error;
      await this.moveToCpu(error);
      return this.answer(request, streamed);
    }
  }

  /**
   * One attempt at an answer. After a move to the processor it resumes: the model continues the
   * text already streamed (an answer held to a JSON schema starts again, as it must to stay valid,
   * and streams only what goes beyond what was already sent).
   */
  private async answer(request: GenerateRequest, streamed: Streamed): Promise<GenerateResult> {
    const { session, sequence } = this.loaded;
    session.setChatHistory(chatHistory(request));
    const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined;
    const resumeFrom = grammar ? '' : streamed.text;
    // Each attempt's text runs from the start of the answer (node-llama-cpp hands a response
    // prefix to onTextChunk first): only what goes beyond what was already sent is sent.
    let attempt = '';
    const onTextChunk = (chunk: string) => {
      attempt += chunk;
      if (attempt.length <= streamed.text.length) return;
      const fresh = attempt.slice(streamed.text.length);
      streamed.text = attempt;
      request.onText?.(fresh);
    };
    const meter = sequence.tokenMeter;
    const before = { input: meter.usedInputTokens, output: meter.usedOutputTokens };
    const spent = () => ({
      // Only tokens evaluated now: a prefix already in the sequence costs nothing.
      promptTokens: streamed.promptTokens + meter.usedInputTokens - before.input,
      outputTokens: streamed.outputTokens + meter.usedOutputTokens - before.output,
    });
    try {
      // A resumed answer has already written part of its budget.
      const maxTokens =
        request.maxTokens === undefined
          ? undefined
          : Math.max(1, request.maxTokens - (resumeFrom ? streamed.outputTokens : 0));
      const { responseText, stopReason } = await session.promptWithMeta(request.prompt, {
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        temperature: request.temperature ?? (grammar ? 0 : DEFAULT_TEMPERATURE),
        ...(grammar ? { grammar } : {}),
        ...(resumeFrom ? { responsePrefix: resumeFrom } : {}),
        onTextChunk,
        ...(request.signal ? { signal: request.signal, stopOnAbortSignal: true } : {}),
      });
      return { text: responseText, finish: finishReason(stopReason), usage: spent() };
    } catch (error) {
      Object.assign(streamed, spent());
      throw error;
    }
  }

  /** The graphics card failed while the model ran: the same model, context and history, on the processor. */
  private async moveToCpu(error: unknown): Promise<void> {
    const { runtime, modelPath } = this.options;
    const failed = this.loaded;
    await unload(failed).catch(() => undefined); // a device that failed may fail to free, too
    const placed = await loadModelOnCpu(runtime, modelPath, failedOnGpuNote(runtime, error));
    this.loaded = await withSession(placed, this.options);
  }

  private grammarFor(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      const { llama } = this.options.runtime;
      // node-llama-cpp's types describe the schemas it supports; ours arrive as plain objects.
      grammar = llama.createGrammarForJsonSchema(
        schema as Parameters<typeof llama.createGrammarForJsonSchema>[0],
      );
      grammar.catch(() => this.grammars.delete(key));
      this.grammars.set(key, grammar);
    }
    return grammar.catch((error: unknown) => {
      throw new AppError(
        'INVALID_INPUT',
        `The answer format cannot be enforced: ${(error as Error).message}`,
      );
    });
  }
}

/**
 * Whether an error during an answer may be the graphics card's: not one of ours (an answer format
 * that cannot be enforced), which would fail the same way on the processor, after a reload and a
 * misleading note. (node-llama-cpp keeps errors of the caller's `onText` to itself.)
 */
function isDeviceFailure(error: unknown): boolean {
  return !(error instanceof AppError);
}

/** A context and chat session on a placed model (its context size capped by the model's training). */
async function withSession(placed: ModelOnDevice, options: LlamaCppLlmEngineOptions): Promise<Loaded> {
  const { LlamaChatSession } = await import('node-llama-cpp');
  const contextSize = Math.min(options.contextSize, placed.model.trainContextSize);
  const context = await placed.model.createContext({ contextSize, threads: options.threads, sequences: 1 });
  const sequence = context.getSequence();
  const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
  return { ...placed, context, sequence, session };
}

async function unload({ session, context, model }: Loaded): Promise<void> {
  session.dispose({ disposeSequence: true });
  await context.dispose();
  await model.dispose();
}

/** The system prompt and earlier turns as node-llama-cpp's chat history. */
function chatHistory(request: Pick<GenerateRequest, 'system' | 'history'>): ChatHistoryItem[] {
  return [
    { type: 'system', text: request.system },
    ...request.history.map((turn): ChatHistoryItem =>
      turn.role === 'user' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] },
    ),
  ];
}

function finishReason(stopReason: string): FinishReason {
  if (stopReason === 'abort') return 'stopped';
  if (stopReason === 'maxTokens') return 'length';
  return 'done';
}
