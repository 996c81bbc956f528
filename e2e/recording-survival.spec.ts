import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.js';
import { LecturesPage } from './support/lectures-page.js';
import { fakeMicrophoneLaunchOptions, recordedTime, secondsOf } from './support/microphone.js';

test.use({ launchOptions: fakeMicrophoneLaunchOptions });

test('a recording whose browser was killed is closed by the engine as recovered, with its length, and plays', async ({
  page,
  engine,
  playwright,
}) => {
  test.setTimeout(120_000);
  // The student's browser, killed mid-lecture; the test's own page looks afterwards.
  const server = await playwright.chromium.launchServer(fakeMicrophoneLaunchOptions);
  const browser = await playwright.chromium.connect(server.wsEndpoint());
  const tab = await browser.newPage();
  await tab.goto(engine.current.url);
  await new LecturesPage(tab).recordFor('Killed browser', 4);
  const recorded = secondsOf(await recordedTime(tab).innerText());
  // The whole browser at once, as the system ends a killed program: its renderer and network processes too.
  process.kill(-server.process().pid!, 'SIGKILL');
  await browser.close().catch(() => undefined);

  await page.goto(engine.current.url);
  const lectures = new LecturesPage(page);
  await lectures.open();
  const row = lectures.lecture('Killed browser');
  // The engine waits a grace period for the recorder, then closes the recording and says so.
  await expect(row).toContainText('Recovered', { timeout: 40_000 });
  await expect(page.getByRole('list', { name: 'Recovered recordings' })).toContainText('Killed browser');
  await row.getByRole('link', { name: 'Killed browser' }).click();
  // Finalised when recovered: the player knows its length at once.
  await expect.poll(() => lectures.audioDuration(), { timeout: 20_000 }).toBeGreaterThanOrEqual(recorded - 2);
});

test('a recording goes on through an engine crash: the tab reaches the restarted engine and nothing is lost', async ({
  page,
  engine,
}) => {
  test.setTimeout(180_000);
  await page.goto(engine.current.url);
  const lectures = new LecturesPage(page);
  await lectures.recordFor('Engine crash', 3);
  await engine.crash();
  await expect(page.getByText(/Waiting for the engine/)).toBeVisible({ timeout: 20_000 });

  // Had the engine not come back, the audio waiting in the tab could be kept as a file.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save the audio to a file' }).click();
  const saved = readFileSync(await (await download).path());
  expect([...saved.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);

  await engine.start();
  await expect(page.getByText(/Waiting for the engine/)).toBeHidden({ timeout: 40_000 });
  const recorded = secondsOf(await recordedTime(page).innerText());
  await lectures.stopAndOpen('Engine crash');
  // One lecture holds all of it: what was recorded while the engine was away went on in the same file.
  await expect.poll(() => lectures.audioDuration(), { timeout: 20_000 }).toBeGreaterThanOrEqual(recorded - 1);
  await lectures.open();
  await expect(page.getByRole('list', { name: 'Lectures' }).getByRole('listitem')).toHaveCount(1);
});
