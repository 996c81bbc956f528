import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';
import { goTo } from './navigation.js';
import { fixture } from './test-files.js';

/** Chromium's fake microphone plays a real speech recording (it loops); allowed without a prompt. */
export const fakeMicrophoneLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
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

/** Starts a recording from the fake microphone and waits until at least `seconds` are on the clock. */
export async function recordFor(page: Page, title: string, seconds: number): Promise<void> {
  await goTo(page, 'Lectures');
  await page.getByRole('link', { name: 'Record a lecture' }).first().click();
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(async () => secondsOf(await recordedTime(page).innerText()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(seconds);
}

/** The player's duration once the browser has read the file (NaN or Infinity until then). */
export const audioDuration = (page: Page) =>
  page
    .locator('audio')
    .evaluate((audio: HTMLAudioElement) => (Number.isFinite(audio.duration) ? audio.duration : 0));
