import type { QueryClient } from '@tanstack/react-query';
import { MessageSquare as MessageSquareIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import type { TutorLocationState } from './ChatPane';
import { CloudSettingsSection } from './CloudSettingsSection';
import { tutorKeys } from './query-keys';
import { tutorStreams } from './stream-store';
import { storeMessage } from './tutor-cache';
import { TutorPage } from './TutorPage';
import 'katex/dist/katex.min.css';
import './tutor.css';

const refreshStatus = (_payload: unknown, { queryClient }: { queryClient: QueryClient }) =>
  void queryClient.invalidateQueries({ queryKey: tutorKeys.status });

/** The tutor: conversations answered from the student's material, and the cloud services. */
export const tutorFeature: Feature = {
  id: 'tutor',
  nav: { path: '/tutor', label: 'Tutor', key: 't', icon: MessageSquareIcon },
  routes: [{ path: 'tutor', Page: TutorPage }],
  commands: [
    {
      id: 'ask-tutor',
      label: 'Ask the tutor',
      keywords: 'question chat explain help ai',
      to: '/tutor',
      state: { focusComposer: true } satisfies TutorLocationState,
    },
  ],
  settingsSection: { id: 'tutor', label: 'Tutor', Section: CloudSettingsSection },
  events: {
    'tutor.text': ({ messageId, offset, text }, { queryClient }) =>
      tutorStreams(queryClient).receive(messageId, offset, text),
    'tutor.message': ({ message }, { queryClient }) => storeMessage(queryClient, message),
    // Only the lists: a conversation's own entry follows its messages through tutor.message,
    // and refetching it mid-answer could put an older state back.
    'conversations.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: tutorKeys.conversationLists }),
    'tutor.statusChanged': refreshStatus,
    // Installing a chat model, or choosing another engine in the settings, changes who answers.
    'models.changed': refreshStatus,
    'settings.changed': refreshStatus,
  },
};
