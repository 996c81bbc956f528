import { Mic as MicIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { LecturesPage } from './LecturesPage';
import { LecturesProvider } from './LecturesProvider';
import { LectureViewPage } from './LectureViewPage';
import { lectureKeys } from './query-keys';
import { RecordingIndicator } from './RecordingIndicator';
import { RecordPage } from './RecordPage';
import { storeSegment, storeTranscriptStatus } from './transcript-cache';
import './lectures.css';

/** Lectures: record or import, transcribe, play with the transcript, export. */
export const lecturesFeature: Feature = {
  id: 'lectures',
  nav: { path: '/lectures', label: 'Lectures', key: 'r', icon: MicIcon },
  routes: [
    { path: 'lectures', Page: LecturesPage },
    { path: 'lectures/record', Page: RecordPage },
    { path: 'lectures/:id', Page: LectureViewPage },
  ],
  commands: [
    {
      id: 'record-lecture',
      label: 'Record a lecture',
      keywords: 'microphone audio class transcribe start',
      to: '/lectures/record',
    },
  ],
  Provider: LecturesProvider,
  SidebarItem: RecordingIndicator,
  events: {
    'lectures.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: lectureKeys.all }),
    'lectures.recovered': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: lectureKeys.all }),
    'transcripts.segment': ({ segment }, { queryClient }) => storeSegment(queryClient, segment),
    'transcripts.changed': ({ lectureId, status }, { queryClient }) => {
      storeTranscriptStatus(queryClient, lectureId, status);
      void queryClient.invalidateQueries({ queryKey: lectureKeys.transcriptStatuses });
    },
  },
};
