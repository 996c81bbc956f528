import { useQueryClient } from '@tanstack/react-query';
import { useStore } from 'zustand';
import { readAloudPlayer, type ReadAloudPlayer, type ReadAloudState } from './read-aloud-player';

/** This app's read-aloud player. */
export function usePlayer(): ReadAloudPlayer {
  return readAloudPlayer(useQueryClient());
}

/** A part of the player's state (re-renders only when that part changes). */
export function useReadAloud<T>(select: (state: ReadAloudState) => T): T {
  return useStore(usePlayer().store, select);
}
