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
import { loadModelOnDevice } from '../llama/gpu-offload.js';
import { loadLlama, loadLlamaRuntime, loggedSince, logMark } from '../llama/llama-runtime.js';
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
}

const DEFAULT_TEMPERATURE = 0.7;

/**
 * A local chat model through llama.cpp (node-llama-cpp) on the CPU. One context sequence serves
 * every request, one at a time: node-llama-cpp compares a new prompt's tokens with what the
 * sequence already holds and evaluates only what differs, so the fixed system prompt, and a
 * conversation's earlier turns when the same conversation continues, are not evaluated again.
 */
export class LlamaCppLlmEngine implements LlmEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private closed = false;

  private constructor(
    readonly info: LlmEngineInfo,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    private readonly session: LlamaChatSession,
  ) {}

  static async load(options: LlamaCppLlmEngineOptions): Promise<LlamaCppLlmEngine> {
    const { modelPath, modelId, threads } = options;
    const ref = { modelId, modelPath, role: 'chat model' };
    await ensureGgufModelFile(ref);
    const runtime = await loadLlamaRuntime();
    const { LlamaChatSession } = await import('node-llama-cpp');
    const mark = logMark();
    let model: LlamaModel | undefined;
    try {
      ({ model } = await loadModelOnDevice(runtime, modelPath));
      const contextSize = Math.min(options.contextSize, model.trainContextSize);
      const context = await model.createContext({ contextSize, threads, sequences: 1 });
      const sequence = context.getSequence();
      const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
      const info = { id: modelId, label: options.label, cloud: false, contextTokens: context.contextSize };
      return new LlamaCppLlmEngine(info, model, context, sequence, session);
    } catch (error) {
      await model?.dispose();
      throw damagedGgufModel(ref, `${(error as Error).message}\n${loggedSince(mark)}`.trim());
    }
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    // One sequence: requests take turns (a second one waits for the first to finish or stop).
    const turn = this.queue.then(() => this.generateNow(request));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  async countTokens(text: string): Promise<number> {
    return this.model.tokenize(text).length;
  }

  async countRequestTokens(request: Pick<GenerateRequest, 'system' | 'history' | 'prompt'>): Promise<number> {
    const { contextText } = this.session.chatWrapper.generateContextState({
      chatHistory: [
        ...chatHistory(request),
        { type: 'user', text: request.prompt },
        { type: 'model', response: [] },
      ],
    });
    return contextText.tokenize(this.model.tokenizer).length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.session.dispose({ disposeSequence: true });
    await this.context.dispose();
    await this.model.dispose();
  }

  private async generateNow(request: GenerateRequest): Promise<GenerateResult> {
    if (this.closed) throw new AppError('ENGINE_UNAVAILABLE', 'The chat model was unloaded.');
    if (request.signal?.aborted)
      return { text: '', finish: 'stopped', usage: { promptTokens: 0, outputTokens: 0 } };

    const history: ChatHistoryItem[] = [
      { type: 'system', text: request.system },
      ...request.history.map((turn): ChatHistoryItem =>
        turn.role === 'user' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] },
      ),
    ];
    this.session.setChatHistory(history);
    const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined;
    const meter = this.sequence.tokenMeter;
    const before = { input: meter.usedInputTokens, output: meter.usedOutputTokens };
    const { responseText, stopReason } = await this.session.promptWithMeta(request.prompt, {
      maxTokens: request.maxTokens,
      temperature: request.temperature ?? (grammar ? 0 : DEFAULT_TEMPERATURE),
      ...(grammar ? { grammar } : {}),
      ...(request.onText ? { onTextChunk: request.onText } : {}),
      ...(request.signal ? { signal: request.signal, stopOnAbortSignal: true } : {}),
    });
    return {
      text: responseText,
      finish: finishReason(stopReason),
      usage: {
        // Only tokens evaluated now: a prefix already in the sequence costs nothing.
        promptTokens: meter.usedInputTokens - before.input,
        outputTokens: meter.usedOutputTokens - before.output,
      },
    };
  }

  private grammarFor(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = loadLlama().then((llama) =>
        // node-llama-cpp's types describe the schemas it supports; ours arrive as plain objects.
        llama.createGrammarForJsonSchema(schema as Parameters<typeof llama.createGrammarForJsonSchema>[0]),
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
