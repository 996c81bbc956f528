import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeWhisperModel, WHISPER_SHAPES } from '../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test } from './support/fixtures.js';
import { fixture } from './support/test-files.js';
import { goTo } from './support/navigation.js';

/**
 * Chromium's fake microphone plays a real speech recording (it loops), so the app records,
 * and transcribes live, what a student's laptop would hear.
 */
const speech = fixture('audio/jfk.wav');

/** A generated whisper model (real ggml file, random weights) and a catalog that offers it. */
const fixtures = mkdtempSync(join(tmpdir(), 'lm-e2e-lectures-'));
const model = makeWhisperModel(join(fixtures, 'test-whisper.bin'), WHISPER_SHAPES.tiny);
const catalog = writeModelCatalog(fixtures, [
  { id: 'test-whisper', kind: 'stt', file: model.path, name: 'Test Whisper' },
]);
test.afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

test.use({
  engineArgs: ['--model-catalog', catalog],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // A microphone that plays the speech file, allowed without a prompt; and audio that may
      // play without a click first.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${speech}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  },
});

/** Records from the fake microphone until at least `seconds` are on the clock, then stops. */
async function recordFor(page: Page, title: string, seconds: number): Promise<void> {
  await goTo(page, 'Lectures');
  await page.getByRole('link', { name: 'Record a lecture' }).first().click();
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible();
  const timer = page.getByRole('timer', { name: 'Recorded time' });
  await expect(timer).toHaveText(new RegExp(`^0:(0[${seconds}-9]|[1-5]\\d)$`), { timeout: 30_000 });
}

async function stopAndOpen(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Stop and save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible({ timeout: 30_000 });
}

/** The player's duration once the browser has read the file (NaN or Infinity until then). */
const audioDuration = (page: Page) =>
  page
    .locator('audio')
    .evaluate((audio: HTMLAudioElement) => (Number.isFinite(audio.duration) ? audio.duration : 0));

test('record from the microphone, stop, and play the saved lecture', async ({ page, engine }) => {
  test.setTimeout(120_000);
  await page.goto(engine.current.url);
  await recordFor(page, 'Ask not', 4);
  await stopAndOpen(page, 'Ask not');

  // The recording plays: the browser reads a finite length from the engine's file.
  await expect.poll(() => audioDuration(page), { timeout: 20_000 }).toBeGreaterThan(3);
  // No speech model yet: the lecture says what to install; nothing to export.
  await expect(page.getByRole('region', { name: 'Transcripts need a speech model' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export' })).toBeDisabled();

  await goTo(page, 'Lectures');
  const row = page.getByRole('list', { name: 'Lectures' }).getByRole('listitem', { name: 'Ask not' });
  await expect(row).toContainText('Recorded');
  await expect(row).toContainText(/\d+ s/);
});

test('live captions while recording, then click a line to play from there and export SRT', async ({
  page,
  engine,
}) => {
  test.setTimeout(180_000);
  await page.goto(engine.current.url);

  // Install the generated speech model from its file, from the recorder's call to action.
  await goTo(page, 'Lectures');
  await page.getByRole('link', { name: 'Record a lecture' }).first().click();
  const setup = page.getByRole('region', { name: 'Transcripts need a speech model' });
  await setup.getByRole('button', { name: 'Use a file I already have' }).click();
  await setup.getByLabel('Path of the model file').fill(model.path);
  await setup.getByRole('button', { name: 'Use this file' }).click();
  await expect(setup).toBeHidden({ timeout: 30_000 });

  await recordFor(page, 'Ask not live', 1);
  // Lines appear while recording (random weights: the words are gibberish, their times real).
  const captions = page.getByRole('list', { name: 'Captions' }).getByRole('listitem');
  await expect(captions.first()).toBeVisible({ timeout: 60_000 });
  await stopAndOpen(page, 'Ask not live');

  const lines = page.getByRole('list', { name: 'Transcript' }).getByRole('listitem');
  await expect(lines.first()).toBeVisible();
  await expect.poll(() => audioDuration(page), { timeout: 20_000 }).toBeGreaterThan(0);
  const last = lines.last();
  const at = await last.locator('.segment-time').innerText();
  const [minutes, seconds] = at.split(':').map(Number) as [number, number];
  await last.locator('.segment-line').click();
  await expect(last).toHaveAttribute('aria-current', 'true');
  await expect
    .poll(() => page.locator('audio').evaluate((audio: HTMLAudioElement) => audio.currentTime))
    .toBeGreaterThanOrEqual(minutes * 60 + seconds);

  const download = page.waitForEvent('download');
  await page.getByLabel('Format').selectOption('srt');
  await page.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Ask not live.srt');
  const saved = readFileSync(await file.path(), 'utf8');
  expect(saved).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
});
