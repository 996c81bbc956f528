/**
 * The app's features, in the order of the sidebar (and of the sections they add to Settings).
 * Adding a feature is adding it here: its pages, events, error texts and styles come with it.
 */
import { accountFeature } from '../features/account/feature';
import { classesFeature } from '../features/classes/feature';
import { dashboardFeature } from '../features/dashboard/feature';
import { generateFeature } from '../features/generate/feature';
import { importsFeature } from '../features/imports/feature';
import { jobsFeature } from '../features/jobs/feature';
import { lecturesFeature } from '../features/lectures/feature';
import { libraryFeature } from '../features/library/feature';
import { modelsFeature } from '../features/models/feature';
import { notesFeature } from '../features/notes/feature';
import { paletteFeature } from '../features/palette/feature';
import { readAloudFeature } from '../features/read-aloud/feature';
import { studyFeature } from '../features/study/feature';
import { searchFeature } from '../features/search/feature';
import { settingsFeature } from '../features/settings/feature';
import { shortcutsFeature } from '../features/shortcuts/feature';
import { tutorFeature } from '../features/tutor/feature';
import type { Feature } from './feature';

export const FEATURES: readonly Feature[] = [
  dashboardFeature,
  classesFeature,
  libraryFeature,
  searchFeature,
  importsFeature,
  lecturesFeature,
  modelsFeature,
  tutorFeature,
  readAloudFeature,
  accountFeature,
  studyFeature,
  notesFeature,
  generateFeature,
  settingsFeature,
  jobsFeature,
  paletteFeature,
  shortcutsFeature,
];
