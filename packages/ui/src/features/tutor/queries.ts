import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CloudProvider,
  CloudSetup,
  Conversation,
  TutorEngineChoice,
  TutorMessage,
} from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { useUpdateSettings } from '../settings/queries';
import { tutorStreams } from './stream-store';
import { removeMessage, storeMessage, type ConversationData } from './tutor-cache';
import { tutorKeys } from './query-keys';

export function useTutorStatus() {
  const engine = useEngine();
  return useQuery({ queryKey: tutorKeys.status, queryFn: () => engine.call('tutor.status') });
}

/** undefined: every conversation; null: those across all classes; an id: that class's. */
export function useConversations(classId: string | null | undefined) {
  const engine = useEngine();
  return useQuery({
    queryKey: tutorKeys.conversations(classId),
    queryFn: () => engine.call('conversations.list', classId === undefined ? {} : { classId }),
    // Changing the filter keeps the old list in view until the new one arrives.
    placeholderData: keepPreviousData,
  });
}

export function useConversation(id: string | null) {
  const engine = useEngine();
  return useQuery({
    queryKey: tutorKeys.conversation(id ?? ''),
    queryFn: () => engine.call('conversations.get', { id: id! }),
    enabled: id !== null,
  });
}

/** Replaces a conversation in every cached list and in its own entry. */
function storeConversation(queryClient: ReturnType<typeof useQueryClient>, conversation: Conversation) {
  queryClient.setQueryData<ConversationData>(tutorKeys.conversation(conversation.id), (data) =>
    data ? { ...data, conversation } : data,
  );
  queryClient.setQueriesData<Conversation[]>({ queryKey: tutorKeys.conversationLists }, (list) =>
    list?.map((other) => (other.id === conversation.id ? conversation : other)),
  );
}

export function useCreateConversation() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { classId: string | null }) => engine.call('conversations.create', input),
    onSuccess(conversation) {
      // Known to be empty: the chat shows it at once, without asking the engine.
      queryClient.setQueryData<ConversationData>(tutorKeys.conversation(conversation.id), {
        conversation,
        messages: [],
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: tutorKeys.conversationLists }),
  });
}

export function useRenameConversation() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; title: string }) => engine.call('conversations.rename', input),
    meta: { handlesErrors: ['INVALID_INPUT'] },
    onSuccess: (conversation) => storeConversation(queryClient, conversation),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tutorKeys.conversationLists }),
  });
}

export function useDeleteConversation() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('conversations.delete', { id }),
    onSuccess: ({ id }) => queryClient.removeQueries({ queryKey: tutorKeys.conversation(id) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tutorKeys.conversationLists }),
  });
}

export function useAsk() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { conversationId: string; text: string }) => engine.call('tutor.ask', input),
    onSuccess({ question, answer }) {
      storeMessage(queryClient, question);
      storeMessage(queryClient, answer);
    },
  });
}

export function useStopAnswer() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) => engine.call('tutor.stop', { messageId }),
    onSuccess: (message) => storeMessage(queryClient, message),
  });
}

export function useRegenerate() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: TutorMessage) => engine.call('tutor.regenerate', { messageId: message.id }),
    // The old answer goes at once; the new one arrives as events (and as this call's answer).
    onMutate(message) {
      removeMessage(queryClient, message.conversationId, message.id);
      tutorStreams(queryClient).forget(message.id);
    },
    onSuccess: (message) => storeMessage(queryClient, message),
    onError: (_error, message) =>
      queryClient.invalidateQueries({ queryKey: tutorKeys.conversation(message.conversationId) }),
  });
}

/** Chooses the engine the tutor answers with (a setting; `tutor.status` says what it resolves to). */
export function useChooseEngine() {
  const update = useUpdateSettings();
  const queryClient = useQueryClient();
  return {
    choose: (tutorEngine: TutorEngineChoice) =>
      update.mutate(
        { tutorEngine },
        { onSettled: () => queryClient.invalidateQueries({ queryKey: tutorKeys.status }) },
      ),
    pending: update.isPending ? update.variables?.tutorEngine : undefined,
  };
}

export function useConfigureCloud() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (setup: CloudSetup) => engine.call('cloud.configure', setup),
    // The form shows refused fields beside themselves.
    meta: { handlesErrors: ['INVALID_INPUT'] },
    // Its variables hold the keys: drop them as soon as nothing shows the call.
    gcTime: 0,
    onSettled: () => queryClient.invalidateQueries({ queryKey: tutorKeys.status }),
  });
}

export function useRemoveCloud() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: CloudProvider) => engine.call('cloud.remove', { provider }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tutorKeys.status }),
  });
}
