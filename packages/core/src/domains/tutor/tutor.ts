import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { ConversationStore } from './conversation-store.js';
import { TutorRetriever } from './tutor-retriever.js';
import { TutorService } from './tutor-service.js';

/**
 * The AI tutor: conversations, and answers grounded in the student's material (any kind of
 * search source), written by the chat model the engine provider picks.
 */
export function createTutor(
  kit: DomainKit,
): DomainModule<ProceduresOf<'conversations'> | ProceduresOf<'tutor'>> {
  const { bus, logger } = kit;
  const engines = kit.engines.llm;
  const store = new ConversationStore(kit.store, (id) => kit.queries.classes.exists(id));
  const service = new TutorService({
    store,
    retriever: new TutorRetriever(kit.search),
    engines,
    bus,
    logger,
    ...(kit.tuning.llmTemperature === undefined ? {} : { temperature: kit.tuning.llmTemperature }),
  });
  const changed = (ids: string[]) => bus.emit('conversations.changed', { ids });

  return {
    handlers: {
      'conversations.list': ({ classId }) => store.list(classId),
      'conversations.get': ({ id }) => ({ conversation: store.get(id), messages: store.messages(id) }),
      'conversations.create': ({ classId, title }) => {
        const conversation = store.create(classId, title);
        changed([conversation.id]);
        return conversation;
      },
      'conversations.rename': ({ id, title }) => {
        const conversation = store.rename(id, title);
        changed([id]);
        return conversation;
      },
      'conversations.delete': async ({ id }) => {
        store.get(id);
        // An answer being written goes first, so nothing writes into a deleted conversation.
        for (const message of store.messages(id)) await service.stop(message.id);
        store.delete(id);
        changed([id]);
        return { id };
      },
      'tutor.ask': ({ conversationId, text }) => service.ask(conversationId, text),
      'tutor.stop': ({ messageId }) => service.stop(messageId),
      'tutor.regenerate': ({ messageId }) => service.regenerate(messageId),
      'tutor.status': () => engines.status(),
    },
    subscriptions: {
      'class.deleted': ({ id }) => {
        const moved = store.unfileClass(id);
        if (moved.length > 0) changed(moved);
      },
      'engines.changed': ({ ports }) => {
        if (!ports.includes('llm')) return;
        bus.emit('tutor.statusChanged', {});
        // An answer being written keeps its engine; the next question loads the new choice.
        if (!service.isBusy())
          void engines
            .releaseIfStale()
            .catch((error: unknown) => logger.warn({ err: error }, 'the chat model could not be unloaded'));
      },
    },
    start: () => service.closeInterrupted(),
    close: () => service.stopAll(),
  };
}
