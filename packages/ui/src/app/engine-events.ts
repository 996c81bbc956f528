import type { QueryClient } from '@tanstack/react-query';
import type { EngineEvent, Job } from '@little-monster/core/contract';
import type { StoreApi } from 'zustand';
import { storeSegment, storeTranscriptStatus } from '../features/lectures/transcript-cache';
import { tutorStreams } from '../features/tutor/stream-store';
import { storeMessage } from '../features/tutor/tutor-cache';
import type { Transport } from '../transport/types';
import { queryKeys } from './query-keys';
import type { UiState } from './ui-store';

const isActive = (job: Job) => job.status === 'queued' || job.status === 'running';

/** Applies a job's new state to the job caches (the active list and that job's own entry). */
export function storeJob(queryClient: QueryClient, job: Job): void {
  queryClient.setQueryData(queryKeys.job(job.id), job);
  queryClient.setQueryData<Job[]>(queryKeys.activeJobs, (jobs) => {
    if (!jobs) return jobs;
    const others = jobs.filter((other) => other.id !== job.id);
    return isActive(job) ? [...others, job].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : others;
  });
}

function handleEvent(event: EngineEvent, queryClient: QueryClient, store: StoreApi<UiState>) {
  switch (event.name) {
    case 'account.changed':
      queryClient.setQueryData(queryKeys.account, event.payload.status);
      break;
    case 'classes.changed':
      void queryClient.invalidateQueries({ queryKey: queryKeys.classesAll });
      // A deleted class leaves its materials with no class.
      void queryClient.invalidateQueries({ queryKey: queryKeys.materialsAll });
      break;
    case 'materials.changed':
      // Search results name materials and their classes too, so they go stale with them.
      void queryClient.invalidateQueries({ queryKey: queryKeys.materialsAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.searchAll });
      break;
    case 'models.changed':
      // Installing an embedding model also turns on search by meaning; a chat model, the tutor.
      void queryClient.invalidateQueries({ queryKey: queryKeys.models });
      void queryClient.invalidateQueries({ queryKey: queryKeys.searchAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tutorStatus });
      break;
    case 'settings.changed':
      queryClient.setQueryData(queryKeys.settings, event.payload.settings);
      store.getState().setThemePreference(event.payload.settings.theme);
      // The tutor's engine is a setting.
      void queryClient.invalidateQueries({ queryKey: queryKeys.tutorStatus });
      break;
    case 'tutor.text': {
      const { messageId, offset, text } = event.payload;
      tutorStreams(queryClient).receive(messageId, offset, text);
      break;
    }
    case 'tutor.message':
      storeMessage(queryClient, event.payload.message);
      break;
    case 'conversations.changed':
      // Only the lists: a conversation's own entry follows its messages through tutor.message,
      // and refetching it mid-answer could put an older state back.
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
      break;
    case 'lectures.changed':
    case 'lectures.recovered':
      void queryClient.invalidateQueries({ queryKey: queryKeys.lecturesAll });
      break;
    case 'transcripts.segment':
      storeSegment(queryClient, event.payload.segment);
      break;
    case 'transcripts.changed':
      storeTranscriptStatus(queryClient, event.payload.lectureId, event.payload.status);
      void queryClient.invalidateQueries({ queryKey: queryKeys.transcriptStatuses });
      break;
    case 'tutor.statusChanged':
      void queryClient.invalidateQueries({ queryKey: queryKeys.tutorStatus });
      break;
    case 'job.updated': {
      const { job } = event.payload;
      storeJob(queryClient, job);
      if (job.kind === 'backup' && job.status === 'succeeded') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.backups });
      }
      if (job.status === 'failed') {
        store.getState().pushToast({
          tone: 'error',
          title: `“${job.title}” failed`,
          message: job.error ?? 'The job stopped with an error.',
          // An import's reason already says what to do ("Remove the password and import it again").
          ...(job.kind === 'material.import'
            ? {}
            : {
                action:
                  'Try it again. If it fails again, the log file (Settings, Your data) has the details.',
              }),
        });
      }
      break;
    }
    case 'job.progress': {
      const { id, progress, message } = event.payload;
      const patch = (job: Job | undefined): Job | undefined =>
        job ? { ...job, status: job.status === 'queued' ? 'running' : job.status, progress, message } : job;
      queryClient.setQueryData<Job>(queryKeys.job(id), patch);
      queryClient.setQueryData<Job[]>(queryKeys.activeJobs, (jobs) =>
        jobs?.map((job) => (job.id === id ? { ...job, status: 'running', progress, message } : job)),
      );
      break;
    }
  }
}

/**
 * Keeps react-query and the UI store in step with the engine: events update or invalidate
 * cached answers, and after a reconnect everything is refetched (events may have been missed).
 */
export function connectEngineEvents(
  transport: Transport,
  queryClient: QueryClient,
  store: StoreApi<UiState>,
) {
  const stopEvents = transport.subscribe((event) => handleEvent(event, queryClient, store));
  const stopStates = transport.onStateChange((state, reason) => {
    const previous = store.getState().connection.state;
    store.getState().setConnection(state, reason);
    if (state === 'connected' && previous !== 'connected' && previous !== 'connecting') {
      void queryClient.invalidateQueries();
    }
  });
  // The transport may have changed state before we subscribed.
  if (transport.state() !== store.getState().connection.state)
    store.getState().setConnection(transport.state());
  return () => {
    stopEvents();
    stopStates();
  };
}
