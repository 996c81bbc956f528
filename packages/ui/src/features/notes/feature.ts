import { NotebookPen as NotebookPenIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { NotesPage, type NotesLocationState } from './NotesPage';
import { notesKeys } from './query-keys';
import 'katex/dist/katex.min.css';
import './notes.css';

/** Notes the student writes: per class, Markdown, saved as typed; beside a lecture with time stamps. */
export const notesFeature: Feature = {
  id: 'notes',
  nav: { path: '/notes', label: 'Notes', key: 'n', icon: NotebookPenIcon },
  routes: [
    { path: 'notes', Page: NotesPage },
    { path: 'notes/:id', Page: NotesPage },
  ],
  commands: [
    {
      id: 'new-note',
      label: 'Write a note',
      keywords: 'new note write markdown',
      to: '/notes',
      state: { newNote: true } satisfies NotesLocationState,
    },
  ],
  events: {
    // Only the lists: an open note's text lives in its editor, never replaced from a refetch.
    'notes.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: notesKeys.lists }),
    // A deleted class leaves its notes in no class.
    'classes.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: notesKeys.all }),
  },
};
