import type { QueryClient } from '@tanstack/react-query';
import type { Feature } from '../../app/feature';
import { readAloudKeys } from './query-keys';
import { readAloudPlayer } from './read-aloud-player';
import { ReadAloudBar } from './ReadAloudBar';
import { VoicesSection } from './VoicesSection';
import './read-aloud.css';

const refreshVoices = (_payload: unknown, { queryClient }: { queryClient: QueryClient }) =>
  void queryClient.invalidateQueries({ queryKey: readAloudKeys.voices });

/** Reading aloud: the player (on every page, so reading goes on while the student moves) and Settings › Voices. */
export const readAloudFeature: Feature = {
  id: 'read-aloud',
  Overlay: ReadAloudBar,
  settingsSection: { id: 'voices', label: 'Voices', Section: VoicesSection },
  events: {
    'readAloud.sentence': (payload, { queryClient }) => readAloudPlayer(queryClient).receive(payload),
    'readAloud.ended': (payload, { queryClient }) => readAloudPlayer(queryClient).receive(payload),
    'readAloud.voicesChanged': refreshVoices,
    // Installing a voice, or choosing another voice or speed, changes the list's answer.
    'models.changed': refreshVoices,
    'settings.changed': refreshVoices,
  },
};
