import { Layers as LayersIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { studyKeys } from './query-keys';
import { ReviewPage } from './ReviewPage';
import { StatsPage } from './StatsPage';
import { StudyPage } from './StudyPage';
import './study.css';

/** Flashcards: decks per class, review sessions by keyboard, the card editor, Anki imports, exam readiness. */
export const studyFeature: Feature = {
  id: 'study',
  nav: { path: '/study', label: 'Study', key: 'y', icon: LayersIcon },
  routes: [
    { path: 'study', Page: StudyPage },
    { path: 'study/review', Page: ReviewPage },
    { path: 'study/stats', Page: StatsPage },
  ],
  commands: [{ id: 'study-now', label: 'Study flashcards', keywords: 'review cards anki', to: '/study' }],
  events: {
    'study.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: studyKeys.all }),
    // A deleted class leaves its decks in no class; an exam date moves the exam forecasts.
    'classes.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: studyKeys.all }),
  },
};
