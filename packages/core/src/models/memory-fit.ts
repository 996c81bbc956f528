import { formatBytes } from '../format-bytes.js';

/** The share of memory a model may take; the system, the app and the browser need the rest. */
const USABLE_SHARE = 0.75;

export interface MemoryFit {
  fitsMemory: boolean;
  memoryNote: string;
}

/** Whether a model needing `ramBytes` runs comfortably on a computer with `totalBytes` of memory. */
export function memoryFit(ramBytes: number, totalBytes: number): MemoryFit {
  const needs = `Needs about ${formatBytes(ramBytes)} of memory`;
  const has = `this computer has ${formatBytes(totalBytes)}`;
  if (ramBytes <= totalBytes * USABLE_SHARE) return { fitsMemory: true, memoryNote: `${needs}; ${has}.` };
  return {
    fitsMemory: false,
    memoryNote: `${needs}, but ${has}: too little to run it beside everything else, so it would be very slow or fail. Choose a smaller model.`,
  };
}
