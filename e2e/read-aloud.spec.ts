import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makePiperVoice } from '../scripts/fixtures/make-piper-voice.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test } from './support/fixtures.js';
import { LibraryPage } from './support/library-page.js';
import { useModelFile } from './support/model-file.js';
import { SettingsPage } from './support/settings-page.js';

/** A generated Piper voice (real ONNX and .onnx.json, random weights) and a catalog that offers it. */
const fixtures = mkdtempSync(join(tmpdir(), 'lm-e2e-voice-'));
const voice = makePiperVoice({ dir: fixtures, name: 'en_US-test-medium' });
const catalog = writeModelCatalog(fixtures, [
  { id: 'en_us-test-medium', kind: 'tts', file: voice.modelPath, name: 'Test Voice' },
]);
test.afterAll(() => rmSync(fixtures, { recursive: true, force: true }));
test.use({ engineArgs: ['--model-catalog', catalog] });

const NOTE = 'Mitochondria make energy for the cell. Ribosomes build proteins. The nucleus holds the DNA.';

/** The read-aloud player's state, as the browser reports it. */
const player = (page: Page) =>
  page.locator('audio[aria-label="Read-aloud audio"]').evaluate((audio: HTMLAudioElement) => ({
    duration: audio.duration,
    time: audio.currentTime,
    paused: audio.paused,
  }));

test('install a voice from a file in Settings › Voices, then hear a page read aloud with the sentence shown, and stop', async ({
  page,
  engine,
}) => {
  test.setTimeout(120_000);
  await page.goto(engine.current.url);

  // Settings › Voices: espeak-ng is there with nothing installed; the natural voice is installed from its file.
  const settings = new SettingsPage(page);
  await settings.open('Voices');
  const voices = settings.voices();
  await expect(voices.getByRole('radio', { name: /espeak-ng English \(American\)/ })).toBeChecked();
  const item = voices
    .getByRole('list', { name: 'Voices to install' })
    .getByRole('listitem', { name: /Test Voice/ });
  await useModelFile(item, voice.modelPath);
  // Once installed, the new voice is the one in use.
  await expect(voices.getByRole('radio', { name: 'Test Voice' })).toBeChecked({ timeout: 30_000 });

  // A page of the library, read aloud.
  const library = new LibraryPage(page);
  await library.open();
  await page.getByRole('button', { name: 'Paste text' }).click();
  const dialog = page.getByRole('dialog', { name: 'Paste text' });
  await dialog.getByLabel('Title').fill('Cell parts');
  await dialog.getByLabel('Text').fill(NOTE);
  await dialog.getByRole('button', { name: 'Add to library' }).click();
  await library.material('Cell parts').getByRole('link').first().click();
  await page.getByRole('button', { name: 'Read aloud page 1' }).click({ timeout: 30_000 });

  const bar = page.getByRole('region', { name: 'Reading aloud' });
  await expect(bar.locator('mark')).toHaveText('Mitochondria make energy for the cell.', { timeout: 30_000 });
  await expect(bar).toContainText('Sentence 1 of 3');
  // The audio element plays real audio of a finite length.
  await expect
    .poll(async () => {
      const state = await player(page);
      return Number.isFinite(state.duration) && state.duration > 0 && state.time > 0;
    })
    .toBe(true);
  // The highlight follows the reading to the next sentences.
  await expect(bar.locator('mark')).toHaveText(/Ribosomes build proteins\.|The nucleus holds the DNA\./, {
    timeout: 30_000,
  });

  await bar.getByRole('button', { name: 'Stop reading' }).click();
  await expect(bar).toBeHidden();
  expect((await player(page)).paused).toBe(true);
  await expect(page.getByRole('button', { name: 'Read aloud page 1' })).toBeVisible();
});
