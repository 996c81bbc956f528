import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, parseWindowState, placeWindow } from './window-state.js';
import { loadWindowState, saveWindowState } from './window-state-store.js';

const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
const monitorOnTheRight = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it('opens a first window centred at the default size', () => {
    expect(placeWindow(null, [laptop])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
  });

  it('reopens where the student left it, on any connected screen', () => {
    const saved = { x: 2100, y: 80, width: 1400, height: 900, maximized: false };
    expect(placeWindow(saved, [laptop, monitorOnTheRight])).toEqual({
      bounds: { x: 2100, y: 80, width: 1400, height: 900 },
      maximized: false,
    });
  });

  it('drops the position when that screen is gone, keeping size and maximized state', () => {
    const saved = { x: 2100, y: 80, width: 1400, height: 900, maximized: true };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: { width: 1400, height: 900 }, maximized: true });
  });

  it('drops the position when only a sliver (not the title bar) would be on screen', () => {
    expect(
      placeWindow({ x: 1880, y: 100, width: 1000, height: 700, maximized: false }, [laptop]).bounds,
    ).toEqual({
      width: 1000,
      height: 700,
    });
    expect(
      placeWindow({ x: 100, y: -600, width: 1000, height: 700, maximized: false }, [laptop]).bounds,
    ).toEqual({
      width: 1000,
      height: 700,
    });
  });

  it('shrinks a window larger than every screen, and grows one below the minimum', () => {
    expect(placeWindow({ x: 0, y: 0, width: 5000, height: 3000, maximized: false }, [laptop]).bounds).toEqual(
      {
        x: 0,
        y: 0,
        width: 1920,
        height: 1040,
      },
    );
    expect(placeWindow({ x: 10, y: 10, width: 50, height: 50, maximized: false }, [laptop]).bounds).toEqual({
      x: 10,
      y: 10,
      ...MIN_SIZE,
    });
  });
});

describe('parseWindowState', () => {
  it('refuses anything that is not a complete saved state', () => {
    expect(parseWindowState({ x: 1, y: 2, width: 3, height: 4, maximized: false })).not.toBeNull();
    expect(parseWindowState({ x: 1, y: 2, width: 3, height: 4 })).toBeNull();
    expect(parseWindowState({ x: '1', y: 2, width: 3, height: 4, maximized: false })).toBeNull();
    expect(parseWindowState({ x: Number.NaN, y: 2, width: 3, height: 4, maximized: false })).toBeNull();
    expect(parseWindowState(null)).toBeNull();
    expect(parseWindowState([1, 2, 3])).toBeNull();
  });
});

describe('the window state file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives back what was saved', () => {
    dir = mkdtempSync(join(tmpdir(), 'lm-window-'));
    const file = join(dir, 'window-state.json');
    const state = { x: 40, y: 50, width: 1300, height: 850, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
  });

  it('is ignored when missing or damaged', () => {
    dir = mkdtempSync(join(tmpdir(), 'lm-window-'));
    const file = join(dir, 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{"x": 40, "y": 5');
    expect(loadWindowState(file)).toBeNull();
  });
});
