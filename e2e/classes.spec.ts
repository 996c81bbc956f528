import { expect, test } from './support/fixtures.js';
import { goTo } from './support/navigation.js';
import { ClassesPage } from './support/classes-page.js';

test('a class survives a reload and an engine restart, and is gone once deleted', async ({
  page,
  engine,
  consoleErrors,
}) => {
  await page.goto(engine.current.url);
  // The token leaves the address bar once the app has it.
  await expect(page).not.toHaveURL(/token=/);

  const classes = new ClassesPage(page);
  await classes.open();
  await classes.create({
    name: 'Organic Chemistry',
    code: 'CHEM 231',
    term: 'Fall 2026',
    instructor: 'Dr. Nakamura',
    meeting: { day: 'Tuesday', start: '10:00', end: '11:15', location: 'Lab 3' },
    exam: { title: 'Midterm', date: '2026-12-10', time: '09:00' },
  });
  const created = classes.item('Organic Chemistry');
  await expect(created).toContainText('CHEM 231');
  await expect(created).toContainText('Midterm');
  await expect(created).toContainText(/Tue/);

  await classes.edit('Organic Chemistry', { name: 'Organic Chemistry I' });
  await expect(classes.item('Organic Chemistry I')).toBeVisible();

  await page.reload();
  await classes.open();
  await expect(classes.item('Organic Chemistry I')).toContainText('CHEM 231');

  // The page notices the engine has gone; a new engine on the same folder has a new address and token.
  await engine.stop();
  await expect(page.getByText('Reconnecting to the engine…')).toBeVisible();
  await page.goto((await engine.restart()).url);
  consoleErrors.length = 0; // the old page's failed reconnects are expected
  await classes.open();
  await expect(classes.item('Organic Chemistry I')).toContainText('Midterm');

  await classes.delete('Organic Chemistry I');
  await expect(classes.item('Organic Chemistry I')).toHaveCount(0);
  await page.reload();
  await classes.open();
  await expect(classes.item('Organic Chemistry I')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('an invalid class is refused with the reason beside the field, and nothing is stored', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const classes = new ClassesPage(page);
  await classes.open();
  await page.getByRole('button', { name: 'New class' }).click();
  const dialog = page.getByRole('dialog', { name: 'New class' });
  await dialog.getByLabel('Name', { exact: true }).fill('   ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const name = dialog.getByLabel('Name', { exact: true });
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/needs a name/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(classes.list().getByRole('listitem')).toHaveCount(0);
});

test('archiving hides a class until "Show archived" is on, and the dashboard lists what is next', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const classes = new ClassesPage(page);
  await classes.open();
  await classes.create({ name: 'Linear Algebra', exam: { title: 'Final exam', date: futureDate(10) } });
  await classes.create({ name: 'Old Seminar' });
  await classes.item('Old Seminar').getByRole('button', { name: 'Archive' }).click();
  await expect(classes.item('Old Seminar')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Show archived' }).check();
  await expect(classes.item(/Old Seminar/)).toContainText('Archived');

  await goTo(page, 'Dashboard');
  await expect(page.getByRole('region', { name: 'Exams in the next 60 days' })).toContainText('Final exam');
  await expect(page.getByRole('region', { name: 'Your classes' })).toContainText('Linear Algebra');
  await expect(page.getByRole('region', { name: 'Your classes' })).not.toContainText('Old Seminar');
});

function futureDate(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
