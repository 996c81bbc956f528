import type { Feature } from '../../app/feature';
import { StudyPage } from './ComingLaterPage';

/** Study tools come in later versions; until then the page says so. */
export const studyFeature: Feature = {
  id: 'study',
  nav: { path: '/study', label: 'Study', key: 'y' },
  routes: [{ path: 'study', Page: StudyPage }],
};
