import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWhisperModel, WHISPER_SHAPES } from '../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test as base } from './support/fixtures.js';
import { fixture } from './support/test-files.js';
import { LecturesPage } from './support/lectures-page.js';
import { useModelFile } from './support/model-file.js';

/**
 * Chromium's fake microphone plays a real speech recording (it loops), so the app records,
 * and transcribes live, what a student's laptop would hear.
 */
const speech = fixture('audio/jfk.wav');

/** A generated whisper model (real ggml file, random weights) and a catalog that offers it. */
const test = base.extend<object, { whisperModel: { path: string; catalog: string } }>({
  whisperModel: [
    async ({ workerFolder }, use) => {
      const { path } = makeWhisperModel(join(workerFolder, 'test-whisper.bin'), WHISPER_SHAPES.tiny);
      const catalog = writeModelCatalog(workerFolder, [
        { id: 'test-whisper', kind: 'stt', file: path, name: 'Test Whisper' },
      ]);
      await use({ path, catalog });
    },
    { scope: 'worker' },
  ],
  engineArgs: async ({ whisperModel }, use) => use(['--model-catalog', whisperModel.catalog]),
});

test.use({
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

test('record from the microphone, stop, and play the saved lecture', async ({ page, engine }) => {
  test.setTimeout(120_000);
  await page.goto(engine.current.url);
  const lectures = new LecturesPage(page);
  await lectures.recordFor('Ask not', 4);
  await lectures.stopAndOpen('Ask not');

  // The recording plays: the browser reads a finite length from the engine's file.
  await expect.poll(() => lectures.audioDuration(), { timeout: 20_000 }).toBeGreaterThan(3);
  // No speech model yet: the lecture says what to install; nothing to export.
  await expect(lectures.speechModelSetup()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export' })).toBeDisabled();

  await lectures.open();
  const row = lectures.lecture('Ask not');
  await expect(row).toContainText('Recorded');
  await expect(row).toContainText(/\d+ s/);
});

test('live captions while recording, then click a line to play from there and export SRT', async ({
  page,
  engine,
  whisperModel,
}) => {
  test.setTimeout(180_000);
  await page.goto(engine.current.url);
  const lectures = new LecturesPage(page);

  // Install the generated speech model from its file, from the recorder's call to action.
  await lectures.openRecorder();
  await useModelFile(lectures.speechModelSetup(), whisperModel.path);
  await expect(lectures.speechModelSetup()).toBeHidden({ timeout: 30_000 });

  await lectures.recordFor('Ask not live', 1);
  // Lines appear while recording (random weights: the words are gibberish, their times real).
  await expect(lectures.captions().first()).toBeVisible({ timeout: 60_000 });
  await lectures.stopAndOpen('Ask not live');

  const lines = lectures.transcriptLines();
  await expect(lines.first()).toBeVisible();
  await expect.poll(() => lectures.audioDuration(), { timeout: 20_000 }).toBeGreaterThan(0);
  const last = lines.last();
  const startsAt = await lectures.playFrom(last);
  await expect(last).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => lectures.audioPosition()).toBeGreaterThanOrEqual(startsAt);

  const file = await lectures.export('srt');
  expect(file.suggestedFilename()).toBe('Ask not live.srt');
  const saved = readFileSync(await file.path(), 'utf8');
  expect(saved).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
});
