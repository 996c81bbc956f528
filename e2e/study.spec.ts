import { expect, test } from './support/fixtures.js';
import { StudyPage } from './support/study-page.js';
import { fixture } from './support/test-files.js';

test('an imported Anki deck is reviewed by keyboard, and what is due falls with each answer', async ({
  page,
  engine,
}) => {
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(engine.current.url);
  const study = new StudyPage(page);
  await study.open();
  await expect(page.getByText('No flashcards yet')).toBeVisible();

  await study.importPackage(fixture('anki/spanish-basics.apkg'));
  await expect(page.getByText(/Imported 4 notes \(5 cards/)).toBeVisible();
  await expect(study.deck('Spanish::Basics')).toContainText('New 5');
  await expect(study.dueToday()).toContainText('5 cards to study today');

  await study.startSession();
  await expect(study.progress()).toContainText('New 5');
  // Each rating button says when the card comes back; Easy is days away.
  await expect(study.card().getByLabel('Question')).toBeVisible();
  await page.keyboard.press('Space');
  const easy = study.card().getByRole('button', { name: /Easy/ });
  await expect(easy).toContainText(/\d+d/);
  await page.keyboard.press('3');
  await expect(study.progress()).toContainText('New 4');

  await study.answerByKeyboard('4');
  await expect(study.progress()).toContainText('New 3');
  // U takes the last answer back: the card is new again.
  await page.keyboard.press('u');
  await expect(study.progress()).toContainText('New 4');
  await study.answerByKeyboard('4');
  await expect(study.progress()).toContainText('New 3');

  // The answers are stored: after a reload the Study page counts what is left.
  await page.reload();
  await study.open();
  await expect(study.dueToday()).toContainText('3 cards to study today');
  await expect(study.deck('Spanish::Basics')).toContainText('New 3');
  expect(consoleErrors).toEqual([]);
});

test('a file that is not an Anki package is refused with the reason, and nothing is added', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const study = new StudyPage(page);
  await study.open();
  await study.importPackage(fixture('pdf/tracemonkey.pdf'));
  await expect(page.getByRole('alert')).toContainText('Not imported');
  await expect(page.getByText('No flashcards yet')).toBeVisible();
});
