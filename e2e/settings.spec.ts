import { expect, test } from './support/fixtures.js';
import { fixture } from './support/test-files.js';
import { goTo } from './support/navigation.js';

const photo = fixture('images/tracemonkey-page2.png');

test('Back up now copies the data in the background and lists the backup', async ({ page, engine }) => {
  await page.goto(engine.current.url);
  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText('Backup finished.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Backups' })).toContainText(/little-monster-.*\.lmbackup/);
});

test('a file that is not the model is refused when used as one, and nothing is installed', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  await goTo(page, 'Settings');
  const model = page.getByRole('list', { name: 'Models' }).getByRole('listitem').first();
  await model.getByRole('button', { name: 'Use a file I already have' }).click();
  await model.getByLabel('Path of the model file').fill(photo);
  await model.getByRole('button', { name: 'Use this file' }).click();
  await expect(model.getByRole('alert')).toContainText(/not a GGUF model/);
  await expect(model.getByRole('button', { name: /Download/ })).toBeVisible();
});
