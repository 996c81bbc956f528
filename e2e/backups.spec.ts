import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { LecturesPage } from './support/lectures-page.js';
import { fakeMicrophoneLaunchOptions } from './support/microphone.js';
import { goTo } from './support/navigation.js';
import { openSettings } from './support/settings-page.js';
import { fixture } from './support/test-files.js';

test.use({ launchOptions: fakeMicrophoneLaunchOptions });

const elsewhere = mkdtempSync(join(tmpdir(), 'lm-e2e-usb-'));
test.afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const sentence = 'typed trace tree anchored at the loop header';

async function findSentence(page: Page): Promise<void> {
  await goTo(page, 'Library');
  await page.getByRole('searchbox', { name: 'Search your library' }).fill(sentence);
  await expect(page.getByRole('list', { name: 'Results' }).getByRole('listitem').first()).toContainText(
    'p. 6',
  );
}

test('back up a PDF and a recorded lecture, wipe the data folder, restore the backup and find everything again', async ({
  page,
  engine,
}) => {
  test.setTimeout(240_000);
  await page.goto(engine.current.url);
  await goTo(page, 'Library');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import files' }).click();
  await (await chooser).setFiles(fixture('pdf/tracemonkey.pdf'));
  await expect(
    page.getByRole('list', { name: 'Materials' }).getByRole('listitem').filter({ hasText: 'tracemonkey' }),
  ).toContainText('14', { timeout: 60_000 });
  const lectures = new LecturesPage(page);
  await lectures.recordFor('Backed up lecture', 3);
  await lectures.stopAndOpen('Backed up lecture');

  const archive = join(elsewhere, 'semester.lmbackup');
  await openSettings(page, 'Data & backups');
  await page.getByLabel('Back up to another place').fill(archive);
  await page.getByRole('button', { name: 'Back up there' }).click();
  await expect(page.getByText('Backup finished.')).toBeVisible({ timeout: 60_000 });

  // The laptop is lost: a new, empty data folder.
  await engine.stop();
  engine.wipe();
  await page.goto((await engine.start()).url);
  await lectures.open();
  await expect(page.getByRole('list', { name: 'Lectures' })).toBeHidden();

  await openSettings(page, 'Data & backups');
  await page.getByLabel('Restore from a backup file').fill(archive);
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page
    .getByRole('dialog', { name: 'Restore this backup?' })
    .getByRole('button', { name: 'Restore' })
    .click();
  await expect(page.getByText(/Everything is as it was in semester\.lmbackup/)).toBeVisible({
    timeout: 60_000,
  });

  await findSentence(page);
  await lectures.open();
  const row = lectures.lecture('Backed up lecture');
  await expect(row).toContainText('Recorded');
  await row.getByRole('link', { name: 'Backed up lecture' }).click();
  await expect.poll(() => lectures.audioDuration(), { timeout: 20_000 }).toBeGreaterThan(2);
});
