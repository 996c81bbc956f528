import { MAX_READING_SPEED, MIN_READING_SPEED } from '@little-monster/core/contract';

/** The speeds offered, from half to twice the voice's normal speed. */
export const READING_SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2].filter(
  (speed) => speed >= MIN_READING_SPEED && speed <= MAX_READING_SPEED,
);

export const speedLabel = (speed: number) => (speed === 1 ? 'Normal (1×)' : `${speed}×`);
