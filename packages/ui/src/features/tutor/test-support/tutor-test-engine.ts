/**
 * FOR UI COMPONENT TESTS ONLY: the test engine plus hand-written tutor handlers (conversations,
 * answers, status, cloud services, models) that keep everything in memory and emit the events
 * the engine emits. Tests move an answer on with `write`, `update` and `emitText`.
 */
import type {
  CloudConfig,
  CloudSetup,
  Conversation,
  ModelEntry,
  StudyClass,
  TutorMessage,
  TutorEngineChoice,
  TutorSource,
  TutorStatus,
} from '@little-monster/core/contract';
import { rpcError } from '../../../test-support/memory-transport';
import { createTestEngine, makeJob, type TestEngine } from '../../../test-support/test-engine';

export interface TutorTestEngine extends TestEngine {
  conversations: Conversation[];
  messages: TutorMessage[];
  status: TutorStatus;
  models: ModelEntry[];
  /** Every cloud setup received, keys included (what the engine would put in the keychain). */
  cloudSetups: CloudSetup[];
  /** Fields of the answer the next `tutor.ask` or `tutor.regenerate` starts. */
  nextAnswer: Partial<TutorMessage>;
  /** The engine writes more of an answer: its text grows and a `tutor.text` event goes out. */
  write(messageId: string, text: string): void;
  /** A raw `tutor.text` event (to send pieces twice or out of order). */
  emitText(messageId: string, offset: number, text: string): void;
  /** Changes a message and announces it with `tutor.message`. */
  update(messageId: string, patch: Partial<TutorMessage>): TutorMessage;
  /** The conversation's last answer. */
  lastAnswer(): TutorMessage;
}

const time = (() => {
  let tick = 0;
  return () => new Date(Date.UTC(2026, 8, 20, 10, 0, tick++)).toISOString();
})();

export const LOCAL_ENGINE = {
  id: 'qwen2.5-1.5b-instruct-q4_k_m',
  label: 'Qwen2.5 1.5B Instruct',
  cloud: false,
};

export function makeStatus(fields: Partial<TutorStatus> = {}): TutorStatus {
  return {
    choice: { kind: 'auto' },
    engine: LOCAL_ENGINE,
    unavailableReason: null,
    localModels: [
      { id: LOCAL_ENGINE.id, name: LOCAL_ENGINE.label, installed: true, ramBytes: 2 * 1024 ** 3, fits: true },
    ],
    cloud: [],
    suggestedModelId: LOCAL_ENGINE.id,
    ...fields,
  };
}

/** A source in a material, on page 6 unless `location` says. */
export function makeSource(fields: Partial<TutorSource> & { n: number }): TutorSource {
  return {
    chunkId: fields.n * 10,
    ref: { kind: 'material', id: crypto.randomUUID() },
    title: 'Cell biology notes',
    materialType: 'pdf',
    location: { kind: 'pages', pageStart: 6, pageEnd: 6, spans: [{ page: 6, start: 10, end: 50 }] },
    excerpt: 'The membrane is a lipid bilayer…',
    ...fields,
  };
}

export function makeConversation(fields: Partial<Conversation> = {}): Conversation {
  const now = time();
  return {
    id: crypto.randomUUID(),
    classId: null,
    title: 'New conversation',
    createdAt: now,
    updatedAt: now,
    messageCount: 0,
    ...fields,
  };
}

export function makeMessage(
  conversationId: string,
  fields: Partial<TutorMessage> & Pick<TutorMessage, 'role'>,
): TutorMessage {
  return {
    id: crypto.randomUUID(),
    conversationId,
    text: '',
    status: 'complete',
    grounding: fields.role === 'assistant' ? 'material' : null,
    sources: [],
    answeredBy: fields.role === 'assistant' ? LOCAL_ENGINE : null,
    error: null,
    createdAt: time(),
    ...fields,
  };
}

export function createTutorTestEngine(
  initial: {
    classes?: StudyClass[];
    conversations?: Conversation[];
    messages?: TutorMessage[];
    status?: TutorStatus;
    models?: ModelEntry[];
  } = {},
): TutorTestEngine {
  const base = createTestEngine({
    classes: initial.classes ?? [],
    settings: { tutorEngine: { kind: 'auto' } },
  });
  const { transport, handlers } = base;
  const emit = (event: Parameters<typeof transport.emit>[0]) => queueMicrotask(() => transport.emit(event));

  const engine: TutorTestEngine = Object.assign(base, {
    conversations: [...(initial.conversations ?? [])],
    messages: [...(initial.messages ?? [])],
    status: initial.status ?? makeStatus(),
    models: [...(initial.models ?? [])],
    cloudSetups: [] as CloudSetup[],
    nextAnswer: {} as Partial<TutorMessage>,
    write(messageId: string, text: string) {
      const message = findMessage(messageId);
      const offset = message.text.length;
      message.text += text;
      transport.emit({
        name: 'tutor.text',
        payload: { conversationId: message.conversationId, messageId, offset, text },
      });
    },
    emitText(messageId: string, offset: number, text: string) {
      const message = findMessage(messageId);
      transport.emit({
        name: 'tutor.text',
        payload: { conversationId: message.conversationId, messageId, offset, text },
      });
    },
    update(messageId: string, patch: Partial<TutorMessage>) {
      const message = Object.assign(findMessage(messageId), patch);
      transport.emit({ name: 'tutor.message', payload: { message: structuredClone(message) } });
      return message;
    },
    lastAnswer() {
      const answer = [...engine.messages].reverse().find((message) => message.role === 'assistant');
      if (!answer) throw new Error('no answer yet');
      return answer;
    },
  });

  function findMessage(id: string) {
    const message = engine.messages.find((m) => m.id === id);
    if (!message) throw rpcError('NOT_FOUND', 'That message no longer exists.');
    return message;
  }
  function findConversation(id: string) {
    const conversation = engine.conversations.find((c) => c.id === id);
    if (!conversation)
      throw rpcError('NOT_FOUND', 'That conversation no longer exists. It may have been deleted.');
    return conversation;
  }
  const changed = (ids: string[]) => emit({ name: 'conversations.changed', payload: { ids } });
  const messagesOf = (id: string) => engine.messages.filter((message) => message.conversationId === id);
  function startAnswer(conversation: Conversation): TutorMessage {
    const answer = makeMessage(conversation.id, {
      role: 'assistant',
      status: 'pending',
      grounding: null,
      ...engine.nextAnswer,
    });
    engine.messages.push(answer);
    emit({ name: 'tutor.message', payload: { message: structuredClone(answer) } });
    return answer;
  }
  const statusChanged = () => emit({ name: 'tutor.statusChanged', payload: {} });
  /** What a choice resolves to, as the engine would: a local model that is there, or a set-up service. */
  function resolve(choice: TutorEngineChoice): Pick<TutorStatus, 'engine' | 'unavailableReason'> {
    const { localModels, cloud } = engine.status;
    const local = localModels.find(
      (m) =>
        m.installed &&
        m.fits &&
        (choice.kind === 'auto' || (choice.kind === 'local' && choice.modelId === m.id)),
    );
    if (local) return { engine: { id: local.id, label: local.name, cloud: false }, unavailableReason: null };
    if (choice.kind === 'cloud' && cloud.some((c) => c.provider === choice.provider)) {
      const label = choice.provider === 'azure' ? 'Azure OpenAI' : 'Amazon Bedrock';
      return { engine: { id: choice.provider, label, cloud: true }, unavailableReason: null };
    }
    return { engine: null, unavailableReason: 'No tutor model is installed on this computer.' };
  }
  const settingsUpdate = handlers['settings.update']!;

  Object.assign(handlers, {
    'conversations.list': ({ classId }) =>
      engine.conversations
        .filter((c) => classId === undefined || c.classId === classId)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    'conversations.get': ({ id }) => ({ conversation: findConversation(id), messages: messagesOf(id) }),
    'conversations.create': ({ classId, title }) => {
      engine.assertClass(classId);
      const conversation = makeConversation({ classId, title: title ?? 'New conversation' });
      engine.conversations.push(conversation);
      changed([conversation.id]);
      return conversation;
    },
    'conversations.rename': ({ id, title }) => {
      const conversation = Object.assign(findConversation(id), { title, updatedAt: time() });
      changed([id]);
      return conversation;
    },
    'conversations.delete': ({ id }) => {
      findConversation(id);
      engine.conversations = engine.conversations.filter((c) => c.id !== id);
      engine.messages = engine.messages.filter((m) => m.conversationId !== id);
      changed([id]);
      return { id };
    },
    'tutor.ask': ({ conversationId, text }) => {
      const conversation = findConversation(conversationId);
      if (!engine.status.engine) throw rpcError('MODEL_NOT_INSTALLED', 'No model can answer yet.');
      const question = makeMessage(conversationId, { role: 'user', text });
      engine.messages.push(question);
      emit({ name: 'tutor.message', payload: { message: structuredClone(question) } });
      const answer = startAnswer(conversation);
      if (conversation.title === 'New conversation') conversation.title = text.slice(0, 60);
      Object.assign(conversation, { updatedAt: time(), messageCount: messagesOf(conversationId).length });
      changed([conversationId]);
      return { question, answer };
    },
    'tutor.stop': ({ messageId }) => {
      const message = findMessage(messageId);
      if (message.status === 'pending' || message.status === 'streaming') {
        Object.assign(message, { status: 'stopped' });
        emit({ name: 'tutor.message', payload: { message: structuredClone(message) } });
      }
      return message;
    },
    'tutor.regenerate': ({ messageId }) => {
      const old = findMessage(messageId);
      engine.messages = engine.messages.filter((m) => m.id !== messageId);
      return startAnswer(findConversation(old.conversationId));
    },
    'settings.update': (patch) => {
      const settings = settingsUpdate(patch);
      if (patch.tutorEngine) {
        engine.status = { ...engine.status, choice: patch.tutorEngine, ...resolve(patch.tutorEngine) };
        statusChanged();
      }
      return settings;
    },
    'tutor.status': () => engine.status,
    'cloud.configure': (setup) => {
      engine.cloudSetups.push(setup);
      const config: CloudConfig =
        setup.provider === 'bedrock'
          ? { provider: 'bedrock', region: setup.region, modelId: setup.modelId }
          : {
              provider: 'azure',
              endpoint: setup.endpoint,
              deployment: setup.deployment,
              apiVersion: setup.apiVersion,
            };
      engine.status = {
        ...engine.status,
        cloud: [...engine.status.cloud.filter((c) => c.provider !== setup.provider), config],
      };
      statusChanged();
      return config;
    },
    'cloud.remove': ({ provider }) => {
      engine.status = { ...engine.status, cloud: engine.status.cloud.filter((c) => c.provider !== provider) };
      statusChanged();
      return { provider };
    },
    'models.list': () => engine.models,
    'models.download': ({ id }) => {
      const job = makeJob({ kind: 'model.download', title: `Download ${id}` });
      engine.jobs.push(job);
      engine.models = engine.models.map((m) => (m.id === id ? { ...m, downloadJobId: job.id } : m));
      emit({ name: 'job.updated', payload: { job } });
      return { jobId: job.id };
    },
  } satisfies typeof handlers);

  return engine;
}
