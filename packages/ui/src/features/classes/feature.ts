import { GraduationCap as GraduationCapIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { CLASS_ERROR_TEXTS } from './class-error-texts';
import { ClassesPage, type ClassesLocationState } from './ClassesPage';
import { ClassHubPage } from './ClassHubPage';
import { classKeys } from './query-keys';
import './classes.css';

/** Classes: name, code, term, colour, instructor, weekly schedule and exams; each class's hub. */
export const classesFeature: Feature = {
  id: 'classes',
  nav: { path: '/classes', label: 'Classes', key: 'c', icon: GraduationCapIcon },
  routes: [
    { path: 'classes', Page: ClassesPage },
    { path: 'classes/:classId', Page: ClassHubPage },
  ],
  commands: [
    {
      id: 'new-class',
      label: 'New class',
      keywords: 'add create course',
      to: '/classes',
      state: { newClass: true } satisfies ClassesLocationState,
    },
  ],
  events: {
    'classes.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: classKeys.all }),
  },
  errorTexts: CLASS_ERROR_TEXTS,
};
