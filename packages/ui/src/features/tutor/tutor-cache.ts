import type { QueryClient } from '@tanstack/react-query';
import type { MessageStatus, ProcedureOutput, TutorMessage } from '@little-monster/core/contract';
import { isLive, tutorStreams } from './stream-store';
import { tutorKeys } from './query-keys';

export type ConversationData = ProcedureOutput<'conversations.get'>;

const STAGE: Record<MessageStatus, number> = { pending: 0, streaming: 1, complete: 2, stopped: 2, failed: 2 };

function byTime(a: TutorMessage, b: TutorMessage) {
  // A question and its answer can share a timestamp: the question comes first.
  return a.createdAt.localeCompare(b.createdAt) || (a.role === b.role ? 0 : a.role === 'user' ? -1 : 1);
}

/**
 * Puts a message's latest state in its conversation's cache. A call's answer and the engine's
 * events can arrive in either order, so a state never goes back (a `pending` answer returned by
 * `tutor.ask` after its `streaming` event is ignored); regenerating removes the old answer first.
 */
export function storeMessage(queryClient: QueryClient, message: TutorMessage): void {
  queryClient.setQueryData<ConversationData>(tutorKeys.conversation(message.conversationId), (data) => {
    if (!data) return data;
    const index = data.messages.findIndex((other) => other.id === message.id);
    if (index === -1) return { ...data, messages: [...data.messages, message].sort(byTime) };
    const current = data.messages[index]!;
    if (STAGE[message.status] < STAGE[current.status]) return data;
    const messages = [...data.messages];
    messages[index] = message;
    return { ...data, messages };
  });
  // Once ended, the message's own text is the answer; what was streamed is no longer needed.
  if (!isLive(message)) tutorStreams(queryClient).forget(message.id);
}

export function removeMessage(queryClient: QueryClient, conversationId: string, messageId: string): void {
  queryClient.setQueryData<ConversationData>(tutorKeys.conversation(conversationId), (data) =>
    data ? { ...data, messages: data.messages.filter((message) => message.id !== messageId) } : data,
  );
  tutorStreams(queryClient).forget(messageId);
}
