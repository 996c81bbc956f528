import { expectNoSeriousAxeViolations } from './support/accessibility.js';
import { expect, test } from './support/fixtures.js';
import { useModelFile } from './support/model-file.js';
import { SettingsPage } from './support/settings-page.js';
import { fixture } from './support/test-files.js';
import { TutorPage } from './support/tutor-page.js';

const photo = fixture('images/tracemonkey-page2.png');

test('Back up now copies the data in the background and lists the backup', async ({ page, engine }) => {
  await page.goto(engine.current.url);
  const settings = new SettingsPage(page);
  await settings.open('Data & backups');
  await settings.backUpNow();
  await expect(page.getByText('Backup finished.')).toBeVisible();
  await expect(settings.backups()).toContainText(/little-monster-.*\.lmbackup/);
});

test('a file that is not the model is refused when used as one, and nothing is installed', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const settings = new SettingsPage(page);
  await settings.open('Models');
  const model = settings.models().first();
  await useModelFile(model, photo);
  await expect(model.getByRole('alert')).toContainText(/not a GGUF model/);
  await expect(model.getByRole('button', { name: /Download/ })).toBeVisible();
});

test('a link from the tutor opens Settings › Tutor at its top; every section is its own short page', async ({
  page,
  engine,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(engine.current.url);
  const tutor = new TutorPage(page);
  await tutor.open();
  await tutor.setup().getByRole('link', { name: 'set up a cloud service' }).click();
  await expect(page).toHaveURL(/#\/settings\/tutor$/);
  const heading = page.getByRole('heading', { level: 2, name: 'Tutor', exact: true });
  await expect(heading).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(
    page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Tutor' }),
  ).toHaveAttribute('aria-current', 'page');

  const settings = new SettingsPage(page);
  for (const section of [
    'General',
    'Models',
    'Voices',
    'Tutor',
    'Data & backups',
    'Account',
    'About',
  ] as const) {
    await settings.open(section);
    await expectNoSeriousAxeViolations(page, `Settings › ${section}`);
  }
  // Models: compact rows, one recommended per purpose, the facts behind Details.
  await settings.open('Models');
  const first = settings.models().first();
  await expect(first).toContainText('Recommended');
  await expect(first).not.toContainText('Licence');
  await first.getByRole('button', { name: 'Details' }).click();
  await expect(first).toContainText('Licence');
});
