/**
 * A language model the tutor (and later notes, quizzes and cards) talks to: llama.cpp on this
 * computer, or a cloud service the student configured. Every engine streams, stops on request
 * and can be held to a JSON schema, so features never care which one answers.
 */
export type ChatRole = 'user' | 'assistant';

export interface ChatTurn {
  role: ChatRole;
  text: string;
}

export interface GenerateRequest {
  /** Instructions that stay the same across requests (local engines keep them evaluated). */
  system: string;
  /** Earlier turns of the conversation, oldest first. */
  history: ChatTurn[];
  /** The new user message (for the tutor: the numbered sources, then the question). */
  prompt: string;
  /** Upper bound on generated tokens. */
  maxTokens: number;
  /** 0 is deterministic. Default 0.7 for conversation, 0 for structured output. */
  temperature?: number;
  /** Constrains the answer to JSON matching this schema (a JSON Schema object). */
  jsonSchema?: JsonSchema;
  /** Each piece of text as it is generated, in order. */
  onText?: (text: string) => void;
  /**
   * Stops generation. The promise then resolves with what was generated so far and
   * `finish: 'stopped'`: a stopped answer is a result, not an error.
   */
  signal?: AbortSignal;
}

export type FinishReason = 'done' | 'length' | 'stopped';

export interface GenerateResult {
  text: string;
  finish: FinishReason;
  /** Tokens in the prompt and generated, as the engine counted them (null when not reported). */
  usage: { promptTokens: number | null; outputTokens: number | null };
}

export interface LlmEngineInfo {
  /** Catalog model id for local models; `bedrock:<model>` / `azure:<deployment>` for the cloud. */
  id: string;
  /** A name the student recognises. */
  label: string;
  /** True when text leaves this computer: the UI marks every such message. */
  cloud: boolean;
  /** Tokens the engine accepts in one request (prompt + answer). */
  contextTokens: number;
}

export interface LlmEngine {
  readonly info: LlmEngineInfo;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Tokens `text` takes for this engine (exact for local models, a close estimate in the cloud). */
  countTokens(text: string): Promise<number>;
  /**
   * Tokens a whole request's input takes, chat template included, where the engine can render
   * its template exactly (local models); absent for cloud services.
   */
  countRequestTokens?(request: Pick<GenerateRequest, 'system' | 'history' | 'prompt'>): Promise<number>;
  close(): Promise<void>;
}

/** A JSON Schema object (the subset llama.cpp grammars and the cloud services accept). */
export type JsonSchema = Record<string, unknown>;
