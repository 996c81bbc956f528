import type { Rectangle } from 'electron';

/** What is remembered about the main window between runs. */
export interface WindowState {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** Where to open the window: a position only when the saved one is still on a screen. */
export interface WindowPlacement {
  bounds: { x?: number; y?: number; width: number; height: number };
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 800 };
export const MIN_SIZE = { width: 720, height: 520 };

/** How much of the window's top strip (its title bar) must be on a screen to be reachable with the mouse. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 32;

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** The saved state, or null when the file holds anything else (hand-edited, from an old version, truncated). */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y, width, height, maximized } = value as Record<string, unknown>;
  if (![x, y, width, height].every(isFiniteNumber) || typeof maximized !== 'boolean') return null;
  return { x: x as number, y: y as number, width: width as number, height: height as number, maximized };
}

/**
 * Reopens the window where the student left it, but only if that place is still visible: a
 * monitor may have been unplugged or the resolution lowered since. Otherwise the window keeps
 * its size (shrunk to fit the largest screen) and Electron centres it.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rectangle[]): WindowPlacement {
  if (!saved) return { bounds: fitSize(DEFAULT_SIZE, workAreas), maximized: false };
  const size = fitSize(saved, workAreas);
  const rect = { x: Math.round(saved.x), y: Math.round(saved.y), ...size };
  const visible = workAreas.some((area) => titleBarOverlaps(rect, area));
  return { bounds: visible ? rect : size, maximized: saved.maximized };
}

function fitSize(size: { width: number; height: number }, workAreas: readonly Rectangle[]) {
  const maxWidth = Math.max(MIN_SIZE.width, ...workAreas.map((area) => area.width));
  const maxHeight = Math.max(MIN_SIZE.height, ...workAreas.map((area) => area.height));
  return {
    width: Math.round(clamp(size.width, MIN_SIZE.width, maxWidth)),
    height: Math.round(clamp(size.height, MIN_SIZE.height, maxHeight)),
  };
}

function titleBarOverlaps(window: Rectangle, area: Rectangle): boolean {
  const left = Math.max(window.x, area.x);
  const right = Math.min(window.x + window.width, area.x + area.width);
  const top = Math.max(window.y, area.y);
  const bottom = Math.min(window.y + GRAB_HEIGHT, area.y + area.height);
  return right - left >= GRAB_WIDTH && bottom - top >= GRAB_HEIGHT;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);
