import { expectNoSeriousAxeViolations } from './support/accessibility.js';
import { ClassHubPage } from './support/class-hub-page.js';
import { ClassesPage } from './support/classes-page.js';
import { expect, test } from './support/fixtures.js';
import { LibraryPage } from './support/library-page.js';
import { goTo } from './support/navigation.js';
import { fixture } from './support/test-files.js';
import { TutorPage } from './support/tutor-page.js';

const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

test('a class hub gathers the class’s week, exam countdown and materials, and asks the tutor about the class', async ({
  page,
  engine,
}) => {
  test.setTimeout(120_000);
  const inNineDays = new Date();
  inNineDays.setDate(inNineDays.getDate() + 9);
  await page.goto(engine.current.url);
  const classes = new ClassesPage(page);
  await classes.open();
  await classes.create({
    name: 'Compilers',
    code: 'CS 443',
    exam: { title: 'Final', date: isoDate(inNineDays) },
  });

  // A PDF imported into the class.
  const library = new LibraryPage(page);
  await library.open();
  await page.getByLabel('Add to class').selectOption({ label: 'Compilers' });
  await library.importFiles(fixture('pdf/tracemonkey.pdf'));
  await library.waitUntilImported('tracemonkey', 14);

  const hub = new ClassHubPage(page);
  for (const size of [
    { width: 800, height: 900 },
    { width: 1366, height: 850 },
  ]) {
    await page.setViewportSize(size);
    await goTo(page, 'Dashboard');
    await hub.openFromDashboard('Compilers');
    await expect(page.getByText('CS 443')).toBeVisible();
    await expect(hub.section('Exams')).toContainText('Final');
    await expect(hub.section('Exams')).toContainText('in 9 days');
    await expect(hub.section('Materials').getByRole('link', { name: 'tracemonkey' })).toBeVisible();
    await expect(hub.section('Lectures')).toContainText('No lectures yet');
    await expect(hub.section('Flashcards')).toContainText('No decks yet');
    await expectNoSeriousAxeViolations(page, `the class hub at ${size.width}x${size.height}`);
  }

  // The tutor opens on a new conversation about this class, ready for the question.
  await hub.askTheTutor();
  const tutor = new TutorPage(page);
  await expect(tutor.composer()).toBeFocused();
  await expect(page.getByLabel('About')).toHaveValue(/.+/);
  await expect(page.getByLabel('About').locator('option:checked')).toHaveText('Compilers');
});

test('a hub address whose class is gone says so and leads back to the classes', async ({ page, engine }) => {
  await page.goto(engine.current.url);
  await page.evaluate(() => {
    window.location.hash = '#/classes/6f1c9f5e-2b7a-4c1e-9a1d-3f2b8c7d9e10';
  });
  await expect(page.getByRole('heading', { level: 1, name: 'Class not found' })).toBeVisible();
  await page.getByRole('link', { name: 'See your classes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Classes' })).toBeVisible();
});
