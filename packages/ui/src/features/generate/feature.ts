import { ListChecks as ListChecksIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { generateKeys } from './query-keys';
import { QuizzesPage } from './QuizzesPage';
import { SetPage } from './SetPage';
import './generate.css';

/** Quizzes and flashcards generated from a material or lecture: make, review, take, follow their sources. */
export const generateFeature: Feature = {
  id: 'generate',
  nav: { path: '/quizzes', label: 'Quizzes', key: 'q', icon: ListChecksIcon },
  routes: [
    { path: 'quizzes', Page: QuizzesPage },
    { path: 'quizzes/:id', Page: SetPage },
  ],
  commands: [
    {
      id: 'generate-quiz',
      label: 'Generate a quiz or flashcards',
      keywords: 'quiz test cards make',
      to: '/quizzes',
    },
  ],
  events: {
    'generate.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: generateKeys.all }),
    'quizzes.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: generateKeys.all }),
    'job.updated': ({ job }, { queryClient }) => {
      if (job.kind === 'generate' && job.status === 'succeeded')
        void queryClient.invalidateQueries({ queryKey: generateKeys.all });
    },
  },
  errorTexts: { jobFailureActions: { generate: null } },
};
