import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.js';
import { StudyPage } from './support/study-page.js';
import { fixture } from './support/test-files.js';

test('an imported Anki deck is reviewed by keyboard, and what is due falls with each answer', async ({
  page,
  engine,
  consoleErrors,
}) => {
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

test('a card suspended during review stays out of the session, and the deck downloads as an .apkg that imports back', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const study = new StudyPage(page);
  await study.open();
  await study.importPackage(fixture('anki/spanish-basics.apkg'));
  await expect(page.getByText(/Imported 4 notes \(5 cards/)).toBeVisible();

  await study.startSession();
  await expect(study.progress()).toContainText('New 5');
  const first = await study.card().getByLabel('Question').innerText();
  // S suspends the card on screen; the next one comes and the count drops.
  await page.keyboard.press('s');
  await expect(page.getByRole('status')).toContainText('Card suspended');
  await expect(study.progress()).toContainText('New 4');
  await expect(study.card().getByLabel('Question')).not.toHaveText(first);
  // ? lists the review keys.
  await page.keyboard.press('?');
  const keys = page.getByRole('dialog', { name: 'Review shortcuts' });
  await expect(keys).toContainText('Bury this card until tomorrow');
  await keys.getByRole('button', { name: 'Close' }).click();

  // Back on the Study page the deck counts the card out and its list marks it.
  await page.getByRole('link', { name: 'End session' }).click();
  await expect(study.deck('Spanish::Basics')).toContainText('New 4');
  const cards = await study.showCards('Spanish::Basics');
  await expect(cards.getByRole('listitem').filter({ hasText: 'Suspended' })).toHaveCount(1);

  // Export deck downloads a zip named after the deck...
  const download = await study.exportDeck('Spanish::Basics');
  expect(download.suggestedFilename()).toBe('Spanish - Basics.apkg');
  const saved = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  expect(readFileSync(saved).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
  await expect(study.deck('Spanish::Basics').getByRole('status')).toContainText(
    'Exported to Spanish - Basics.apkg',
  );
  // ...that the importer reads: the same four notes, recognised as already here.
  await study.importPackage(saved);
  await expect(page.getByText('4 notes were already here and were left as they are.')).toBeVisible();
});

test('the statistics of a deck chart the answers given, with the numbers as a table, within the CSP', async ({
  page,
  engine,
  consoleErrors,
}) => {
  await page.goto(engine.current.url);
  const study = new StudyPage(page);
  await study.open();
  await study.importPackage(fixture('anki/spanish-basics.apkg'));
  await expect(page.getByText(/Imported 4 notes \(5 cards/)).toBeVisible();
  await study.startSession();
  await study.answerByKeyboard('3');
  await expect(study.progress()).toContainText('New 4');
  await study.answerByKeyboard('1');
  await expect(study.progress()).toContainText('New 3');
  await page.getByRole('link', { name: 'End session' }).click();

  await study.deck('Spanish::Basics').getByRole('link', { name: 'Statistics of Spanish::Basics' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Statistics' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'At a glance' })).toContainText('1 day');
  const reviews = page.getByRole('region', { name: 'Reviews per day' });
  await expect(reviews.locator('.recharts-bar-rectangle')).toHaveCount(1);
  await reviews.getByText('Show as a table').click();
  await expect(reviews.getByRole('row')).toHaveCount(2);
  await expect(reviews.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('2');
  // The two cards still in learning are due today.
  const forecast = page.getByRole('region', { name: 'Due in the next 30 days' });
  await forecast.getByText('Show as a table').click();
  await expect(forecast.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('2');
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
