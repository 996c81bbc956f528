import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { materialFileUrl } from '../shared/material-file-url.js';
import { guardWebContents } from './web-contents-guard.js';

const RENDERER = 'file:///opt/little-monster/resources/app.asar/dist/renderer/index.html';

/** The events guardWebContents listens to, fired the way Electron fires them. */
function fakeContents() {
  const emitter = new EventEmitter();
  let windowOpenHandler: (details: { url: string }) => { action: string } = () => ({ action: 'allow' });
  const contents = {
    on: (name: string, listener: (...args: unknown[]) => void) => emitter.on(name, listener),
    setWindowOpenHandler: (handler: typeof windowOpenHandler) => (windowOpenHandler = handler),
  } as unknown as WebContents;
  const navigate = (url: string, isMainFrame = true) => {
    let prevented = false;
    emitter.emit('will-frame-navigate', {
      url,
      isMainFrame,
      isSameDocument: false,
      preventDefault: () => (prevented = true),
    });
    return prevented ? 'blocked' : 'allowed';
  };
  return { contents, navigate, openWindow: (url: string) => windowOpenHandler({ url }).action };
}

describe('the web contents guard', () => {
  it('keeps the window on our renderer, and stored originals out of any frame or window', () => {
    const opened: string[] = [];
    const { contents, navigate, openWindow } = fakeContents();
    guardWebContents(contents, RENDERER, (url) => opened.push(url));

    expect(navigate(`${RENDERER}#/library`)).toBe('allowed');
    const original = materialFileUrl('3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f');
    expect(navigate(original)).toBe('blocked');
    expect(navigate(original, false)).toBe('blocked');
    expect(openWindow(original)).toBe('deny');
    expect(opened).toEqual([]);
  });
});
