import { expect, test } from './support/fixtures.js';
import { useModelFile } from './support/model-file.js';
import { SettingsPage } from './support/settings-page.js';
import { fixture } from './support/test-files.js';

const photo = fixture('images/tracemonkey-page2.png');

test('Back up now copies the data in the background and lists the backup', async ({ page, engine }) => {
  await page.goto(engine.current.url);
  const settings = new SettingsPage(page);
  await settings.open();
  await settings.backUpNow();
  await expect(page.getByText('Backup finished.')).toBeVisible();
  await expect(settings.backups()).toContainText(/little-monster-.*\.sqlite/);
});

test('a file that is not the model is refused when used as one, and nothing is installed', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const settings = new SettingsPage(page);
  await settings.open();
  const model = settings.models().first();
  await useModelFile(model, photo);
  await expect(model.getByRole('alert')).toContainText(/not a GGUF model/);
  await expect(model.getByRole('button', { name: /Download/ })).toBeVisible();
});
