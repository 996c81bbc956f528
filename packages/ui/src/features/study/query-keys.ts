import type { StudyScope } from '@little-monster/core/contract';

/** The study feature's cached answers; every key starts with 'study', so one event refreshes them all. */
export const studyKeys = {
  all: ['study'] as const,
  decks: (scope: StudyScope) => ['study', 'decks', scope] as const,
  notes: (deckId: string) => ['study', 'notes', deckId] as const,
  note: (id: string) => ['study', 'note', id] as const,
  next: (scope: StudyScope) => ['study', 'next', scope] as const,
  examForecast: (deckId: string) => ['study', 'examForecast', deckId] as const,
  stats: (scope: StudyScope) => ['study', 'stats', scope] as const,
  optimiser: (deckId: string) => ['study', 'optimiser', deckId] as const,
};
