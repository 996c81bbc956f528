import { ClassesPage } from './support/classes-page.js';
import { expect, test } from './support/fixtures.js';
import { LecturesPage } from './support/lectures-page.js';
import { LibraryPage } from './support/library-page.js';
import { fakeMicrophoneLaunchOptions } from './support/microphone.js';
import { NotesPage } from './support/notes-page.js';

test.use({ launchOptions: fakeMicrophoneLaunchOptions });

test('a note written in a class is saved as typed, found by search, and still there after a reload', async ({
  page,
  engine,
  consoleErrors,
}) => {
  await page.goto(engine.current.url);
  const classes = new ClassesPage(page);
  await classes.open();
  await classes.create({ name: 'Cell biology' });

  const notes = new NotesPage(page);
  await notes.open();
  await notes.showClass('Cell biology');
  await expect(page.getByText('No notes yet')).toBeVisible();
  await notes.newNote();
  await notes.title().fill('Respiration');
  await notes.body().click();
  // Markdown shortcuts as typed: "## " makes a heading, "- " a list.
  await page.keyboard.type('## Krebs cycle');
  await page.keyboard.press('Enter');
  await page.keyboard.type('- mitochondria make ATP from pyruvate');
  // Enter twice leaves the list; `$…$` typed becomes a formula drawn by KaTeX.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Energy $E = mc^2$ each turn');
  await notes.expectSaved();
  await expect(notes.body().locator('.note-math .katex')).toBeVisible();
  await expect(notes.body().getByRole('heading', { name: 'Krebs cycle' })).toBeVisible();
  await expect(notes.list().getByRole('link', { name: /Respiration/ })).toContainText('Cell biology');

  // Search finds it among the library's results, and the hit opens the note.
  const library = new LibraryPage(page);
  await library.open();
  await library.search('pyruvate mitochondria');
  const hit = library.results().first();
  await expect(hit).toContainText('Respiration');
  await expect(hit).toContainText('Note');
  await hit.getByRole('link').first().click();
  await expect(notes.title()).toHaveValue('Respiration');
  await expect(notes.body()).toContainText('mitochondria make ATP from pyruvate');

  // Stored, not only shown: a reload reads it back from the engine.
  await page.reload();
  await expect(notes.title()).toHaveValue('Respiration');
  await expect(notes.body().getByRole('heading', { name: 'Krebs cycle' })).toBeVisible();
  await expect(notes.body().getByRole('listitem')).toHaveText('mitochondria make ATP from pyruvate');
  await expect(notes.body().locator('.note-math')).toHaveAttribute('data-latex', 'E = mc^2');

  // Going from note to note and back, each opens with its own words, even before a save lands.
  await notes.newNote();
  await notes.title().fill('Photosynthesis');
  await notes.body().click();
  await page.keyboard.type('Chloroplasts');
  await notes
    .list()
    .getByRole('link', { name: /Respiration/ })
    .click();
  await expect(notes.title()).toHaveValue('Respiration');
  await notes
    .list()
    .getByRole('link', { name: /Photosynthesis/ })
    .click();
  await expect(notes.title()).toHaveValue('Photosynthesis');
  await expect(notes.body()).toHaveText('Chloroplasts');
  await notes
    .list()
    .getByRole('link', { name: /Respiration/ })
    .click();
  await expect(notes.title()).toHaveValue('Respiration');
  expect(consoleErrors).toEqual([]);
});

test('a pasted text over the limit is refused with the limit, kept on screen, and the stored note is unharmed', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const notes = new NotesPage(page);
  await notes.open();
  await notes.newNote();
  await notes.title().fill('Reading list');
  await notes.body().click();
  await page.keyboard.type('Chapter 4 first.');
  await notes.expectSaved();

  await notes.paste(notes.body(), 'word '.repeat(45_000));
  const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
  await expect(alert).toContainText('200,000 characters', { timeout: 15_000 });
  await expect(alert).toContainText('Your text is still here');
  await expect(notes.body()).toContainText('Chapter 4 first.word word');

  // The engine kept the last text it accepted.
  await page.reload();
  await expect(notes.title()).toHaveValue('Reading list');
  await expect(notes.body()).toHaveText('Chapter 4 first.');
});

test('notes typed while recording and while playing are stamped with the lecture second, and a stamp plays from there', async ({
  page,
  engine,
}) => {
  test.setTimeout(120_000);
  await page.goto(engine.current.url);
  const lectures = new LecturesPage(page);
  const pane = page.getByRole('region', { name: 'Your notes' });
  const editor = pane.getByRole('textbox', { name: 'Notes beside the lecture' });
  const saved = () =>
    expect(pane.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible({ timeout: 15_000 });

  // While recording: the paragraph opens with the second on the recording's clock.
  await lectures.recordFor('Membranes', 3);
  await editor.click();
  await page.keyboard.type('Intro to membranes');
  await saved();
  await expect(editor.getByRole('link', { name: /^0:0[3-9]$/ })).toBeVisible();
  await lectures.stopAndOpen('Membranes');
  await expect.poll(() => lectures.audioDuration(), { timeout: 20_000 }).toBeGreaterThan(3);
  await expect(editor).toContainText('Intro to membranes');

  // While playing: each new paragraph opens with the second being played.
  const player = page.locator('audio.lecture-audio');
  const seek = (seconds: number) =>
    player.evaluate((audio: HTMLAudioElement, at) => {
      audio.currentTime = at;
    }, seconds);
  await seek(1);
  await expect.poll(() => lectures.audioPosition()).toBeGreaterThanOrEqual(1);
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Two layers of lipids');
  await seek(2);
  await expect.poll(() => lectures.audioPosition()).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('Enter');
  await page.keyboard.type('Proteins float in them');
  await saved();
  await expect(editor.getByRole('link', { name: '0:01' })).toBeVisible();
  await expect(editor.getByRole('link', { name: '0:02' })).toBeVisible();

  // A stamp plays the lecture from the second its paragraph was typed at.
  await seek(0);
  await expect.poll(() => lectures.audioPosition()).toBeLessThan(1);
  await editor.getByRole('link', { name: '0:02' }).click();
  await expect.poll(() => lectures.audioPosition()).toBeGreaterThanOrEqual(2);

  // One note, stored with its stamps, in the Notes page too.
  await page.reload();
  await expect(editor.getByRole('link', { name: '0:02' })).toBeVisible();
  const notes = new NotesPage(page);
  await notes.open();
  await expect(notes.list().getByRole('listitem')).toHaveCount(1);
  await notes
    .list()
    .getByRole('link', { name: /Notes: Membranes/ })
    .click();
  await expect(notes.body()).toContainText('Intro to membranes');
  await expect(notes.body()).toContainText('0:01 Two layers of lipids');
});
