import type { FileChooser, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { fixture } from './support/test-files.js';
import { goTo } from './support/navigation.js';

/** Chooses files through the Import files button, as a student would. */
async function importFiles(page: Page, files: Parameters<FileChooser['setFiles']>[0]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import files' }).click();
  await (await chooser).setFiles(files);
}

const tracemonkey = fixture('pdf/tracemonkey.pdf');

test('a PDF chosen with Import files imports, is found by a sentence, and opens at its page', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  await goTo(page, 'Library');
  await importFiles(page, tracemonkey);

  const imports = page.getByRole('region', { name: 'Imports' });
  await expect(imports.getByRole('listitem', { name: /tracemonkey\.pdf/ })).toBeVisible();
  const materials = page.getByRole('list', { name: 'Materials' });
  await expect(materials.getByRole('listitem').filter({ hasText: 'tracemonkey' })).toContainText('14', {
    timeout: 60_000,
  });

  await page
    .getByRole('searchbox', { name: 'Search your library' })
    .fill('typed trace tree anchored at the loop header');
  const results = page.getByRole('list', { name: 'Results' });
  const first = results.getByRole('listitem').first();
  await expect(first).toContainText('p. 6');
  await expect(first.locator('mark').first()).toBeVisible();
  await first.getByRole('link').first().click();

  await expect(page.getByRole('heading', { level: 1, name: 'tracemonkey' })).toBeVisible();
  await expect(page.getByText('Page 6 of 14')).toBeVisible();

  // Importing the same file again says so instead of storing it twice.
  await goTo(page, 'Library');
  await importFiles(page, tracemonkey);
  await expect(page.getByRole('region', { name: 'Imports' })).toContainText(/already in your library/i);
  await expect(materials.getByRole('listitem')).toHaveCount(1);
});

test('a file that is not a document is refused with the reason, and nothing is added', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  await goTo(page, 'Library');
  await importFiles(page, {
    name: 'notes.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(0),
  });
  await expect(page.getByRole('region', { name: 'Imports' })).toContainText(/empty/i, { timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'Materials' }).getByRole('listitem')).toHaveCount(0);
});
