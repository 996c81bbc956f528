import type { Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.js';
import { fixture } from './test-files.js';

/** Chromium's fake microphone plays a real speech recording (it loops); allowed without a prompt. */
export const fakeMicrophoneLaunchOptions = {
  ...chromiumLaunchOptions,
  args: [
    ...chromiumLaunchOptions.args,
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-audio-capture=${fixture('audio/jfk.wav')}`,
    // Audio may play without a click first.
    '--autoplay-policy=no-user-gesture-required',
  ],
};

export const recordedTime = (page: Page) => page.getByRole('timer', { name: 'Recorded time' });

/** "1:05" → 65 */
export const secondsOf = (clock: string) =>
  clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);
