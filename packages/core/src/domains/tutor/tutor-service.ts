import type { Logger } from 'pino';
import type { LlmEngines } from '../../ai/engines/llm-engines.js';
import type { GenerateResult, LlmEngine } from '../../ai/llm/llm-engine.js';
import { AppError, type EventSink, type TutorMessage } from '../../contract/index.js';
import { resolveCitations } from './citations.js';
import type { ConversationStore } from './conversation-store.js';
import { buildGroundedPrompt, DEFAULT_BUDGET, TUTOR_SYSTEM_PROMPT } from './grounded-prompt.js';
import type { TutorRetriever } from './tutor-retriever.js';

/** How often a streaming answer's text is saved, so a crash loses at most this much of it. */
const SAVE_EVERY_MS = 1000;
const INTERRUPTED = 'The app closed while this answer was being written.';

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

export interface TutorServiceOptions {
  store: ConversationStore;
  retriever: TutorRetriever;
  /** The chat model to use now (the engine provider's). */
  engines: LlmEngines;
  bus: EventSink;
  logger: Logger;
  /** Sampling temperature; undefined leaves the engine's conversational default. */
  temperature?: number;
}

/**
 * Answers questions: saves the question, retrieves sources from the class's material, streams
 * the engine's answer as `tutor.text` events and saves it as it grows. One answer is written at
 * a time (one model); stopping keeps what was written, marked stopped.
 */
export class TutorService {
  private readonly running = new Map<string, Running>();

  constructor(private readonly options: TutorServiceOptions) {}

  /** At start-up: answers an earlier run left half-written are kept, marked stopped, never shown as complete. */
  closeInterrupted(): void {
    const { store } = this.options;
    for (const id of store.interruptedAnswers())
      store.updateMessage(id, { status: 'stopped', error: INTERRUPTED });
  }

  /** Saves the question and starts the answer; refused, saving nothing, when no engine can answer. */
  async ask(conversationId: string, text: string): Promise<{ question: TutorMessage; answer: TutorMessage }> {
    this.refuseWhileAnswering();
    this.options.store.get(conversationId);
    await this.options.engines.ensureAvailable();
    this.refuseWhileAnswering();
    const { question, answer } = this.options.store.addQuestion(conversationId, text);
    this.announce(question);
    this.announce(answer);
    this.options.bus.emit('conversations.changed', { ids: [conversationId] });
    this.start(answer);
    return { question, answer };
  }

  async regenerate(messageId: string): Promise<TutorMessage> {
    const { store } = this.options;
    const old = store.message(messageId);
    if (old.role !== 'assistant' || store.last(old.conversationId)?.id !== old.id)
      throw new AppError('INVALID_INPUT', 'Only the last answer of a conversation can be written again.');
    this.refuseWhileAnswering();
    await this.options.engines.ensureAvailable();
    this.refuseWhileAnswering();
    const answer = store.replaceAnswer(messageId);
    this.options.bus.emit('conversations.changed', { ids: [answer.conversationId] });
    this.announce(answer);
    this.start(answer);
    return answer;
  }

  /** Stops an answer and resolves once what was written is saved. */
  async stop(messageId: string): Promise<TutorMessage> {
    const running = this.running.get(messageId);
    if (!running) return this.options.store.message(messageId);
    running.controller.abort();
    await running.done;
    return this.options.store.message(messageId);
  }

  /** Stops every answer (the engine is closing); each is saved as stopped. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }

  /** True while an answer is being written. */
  isBusy(): boolean {
    return this.running.size > 0;
  }

  private refuseWhileAnswering(): void {
    if (this.isBusy())
      throw new AppError('CONFLICT', 'The tutor is still writing an answer. Wait for it or stop it first.');
  }

  private start(answer: TutorMessage): void {
    const controller = new AbortController();
    const done = this.write(answer, controller.signal)
      .catch((error: unknown) => this.fail(answer.id, error))
      .finally(() => this.running.delete(answer.id));
    this.running.set(answer.id, { controller, done });
  }

  private async write(answer: TutorMessage, signal: AbortSignal): Promise<void> {
    const { store, retriever, engines } = this.options;
    const conversation = store.get(answer.conversationId);
    const earlier = store.before(answer.id).filter((message) => message.status !== 'failed');
    const question = earlier.at(-1);
    if (!question || question.role !== 'user')
      throw new AppError('INVALID_INPUT', 'There is no question to answer.');
    const previousQuestion = earlier.slice(0, -1).findLast((message) => message.role === 'user')?.text;

    const engine = await engines.acquire();
    if (signal.aborted) return this.finish(answer.id, '', 'stopped', 0);
    const passages = await retriever.retrieve({
      question: question.text,
      classId: conversation.classId,
      ...(previousQuestion ? { previousQuestion } : {}),
    });
    const built = await buildGroundedPrompt({
      question: question.text,
      passages,
      history: earlier.slice(0, -1).map((message) => ({ role: message.role, text: message.text })),
      budget: { ...DEFAULT_BUDGET, contextTokens: engine.info.contextTokens },
      countTokens: (text) => engine.countTokens(text),
      ...(engine.countRequestTokens
        ? { countRequestTokens: (request) => engine.countRequestTokens!(request) }
        : {}),
    });
    this.announce(
      store.updateMessage(answer.id, {
        status: 'streaming',
        sources: built.sources,
        grounding: built.sources.length > 0 ? 'material' : 'general',
        answeredBy: { id: engine.info.id, label: engine.info.label, cloud: engine.info.cloud },
      }),
    );

    let text = '';
    let savedAt = Date.now();
    const result = await engine.generate({
      system: TUTOR_SYSTEM_PROMPT,
      history: built.history,
      prompt: built.prompt,
      maxTokens: DEFAULT_BUDGET.answerTokens,
      ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
      signal,
      onText: (piece) => {
        this.options.bus.emit('tutor.text', {
          conversationId: answer.conversationId,
          messageId: answer.id,
          offset: text.length,
          text: piece,
        });
        text += piece;
        if (Date.now() - savedAt >= SAVE_EVERY_MS) {
          store.updateMessage(answer.id, { text });
          savedAt = Date.now();
        }
      },
    });
    this.finish(answer.id, result.text, result.finish, built.sources.length);
    this.log(engine, result);
  }

  private finish(id: string, text: string, finish: GenerateResult['finish'], sourceCount: number): void {
    const { text: cited } = resolveCitations(text, sourceCount);
    this.announce(
      this.options.store.updateMessage(id, {
        text: cited.trim(),
        status: finish === 'stopped' ? 'stopped' : 'complete',
      }),
    );
  }

  private fail(id: string, error: unknown): void {
    const known = error instanceof AppError;
    if (!known) this.options.logger.error({ err: error, messageId: id }, 'the tutor could not answer');
    try {
      this.announce(
        this.options.store.updateMessage(id, {
          status: 'failed',
          error: known
            ? error.message
            : 'The tutor could not answer because of an unexpected error (details are in the log).',
        }),
      );
    } catch {
      // The conversation was deleted meanwhile: nothing left to mark.
    }
  }

  private announce(message: TutorMessage): void {
    this.options.bus.emit('tutor.message', { message });
  }

  private log(engine: LlmEngine, result: GenerateResult): void {
    this.options.logger.info(
      { engine: engine.info.id, finish: result.finish, usage: result.usage },
      'tutor answered',
    );
  }
}
