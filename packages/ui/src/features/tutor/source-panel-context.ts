import { createContext, useContext } from 'react';
import type { TutorSource } from '@little-monster/core/contract';

/** Opens a cited passage in the panel beside the chat, so the conversation stays where it is. */
export interface SourcePanelControl {
  open(source: TutorSource): void;
  /** The passage the panel shows now. */
  current: TutorSource | null;
}

export const SourcePanelContext = createContext<SourcePanelControl | null>(null);

/** Null outside the tutor page (an answer shown elsewhere): chips then open the source's own page. */
export const useSourcePanel = () => useContext(SourcePanelContext);

/** Two citations of the same passage (in one answer or in several) open the same panel. */
export const samePassage = (a: TutorSource | null, b: TutorSource) =>
  a !== null && a.chunkId === b.chunkId && a.ref.id === b.ref.id;
