import { join } from 'node:path';
import { makeTestChatModel } from '../scripts/fixtures/make-llama-model.js';
import { makeWhisperModel, WHISPER_SHAPES } from '../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test as base } from './support/fixtures.js';
import { LecturesPage } from './support/lectures-page.js';
import { LibraryPage } from './support/library-page.js';
import { fakeMicrophoneLaunchOptions } from './support/microphone.js';
import { useModelFile } from './support/model-file.js';
import { QuizzesPage } from './support/quizzes-page.js';
import { fixture } from './support/test-files.js';
import { TutorPage } from './support/tutor-page.js';

const tracemonkey = fixture('pdf/tracemonkey.pdf');

/** Generated chat and speech models (real GGUF and ggml, random weights: the grammar keeps the JSON valid) and a catalog offering them. */
const test = base.extend<object, { models: { chat: string; whisper: string; catalog: string } }>({
  models: [
    async ({ workerFolder }, use) => {
      const { path: chat } = makeTestChatModel(workerFolder);
      const { path: whisper } = makeWhisperModel(join(workerFolder, 'test-whisper.bin'), WHISPER_SHAPES.tiny);
      const catalog = writeModelCatalog(workerFolder, [
        { id: 'test-chat', kind: 'llm', file: chat, name: 'Test Chat', fileName: 'test-chat.gguf' },
        { id: 'test-whisper', kind: 'stt', file: whisper, name: 'Test Whisper' },
      ]);
      await use({ chat, whisper, catalog });
    },
    { scope: 'worker' },
  ],
  engineArgs: async ({ models }, use) => use(['--model-catalog', models.catalog, '--llm-threads', '1']),
});

// The lecture is recorded from Chromium's fake microphone, which plays a real speech recording.
test.use({ launchOptions: fakeMicrophoneLaunchOptions });

test('generate a quiz from pages of a PDF, take it by keyboard, and add proposed flashcards to the deck', async ({
  page,
  engine,
  models,
}) => {
  test.setTimeout(240_000);
  await page.goto(engine.current.url);
  const library = new LibraryPage(page);
  await library.open();
  await library.importFiles(tracemonkey);
  await library.waitUntilImported('tracemonkey', 14);

  const tutor = new TutorPage(page);
  await tutor.open();
  await useModelFile(tutor.setup(), models.chat);
  await expect(tutor.setup()).toBeHidden({ timeout: 30_000 });

  // From the material in the library: the Quizzes page opens with it chosen.
  await library.open();
  await page.getByRole('link', { name: 'Generate quiz / flashcards' }).first().click();
  const quizzes = new QuizzesPage(page);
  await expect(quizzes.form().getByLabel('From')).toHaveValue(/^material:/);

  // Bad input: pages the PDF does not have are refused, and nothing is generated.
  await quizzes.generate({ kind: 'A quiz', from: 'tracemonkey', pages: [40, 50], count: 3 });
  await expect(quizzes.form().getByRole('alert')).toHaveText(/Those pages have no text to generate from/);
  await expect(page.getByText('Nothing generated yet')).toBeVisible();

  await quizzes.generate({ kind: 'A quiz', from: 'tracemonkey', pages: [1, 2], count: 3 });
  const quiz = quizzes.generated().getByRole('link', { name: 'Quiz: tracemonkey, pages 1–2' });
  await expect(quiz).toBeVisible({ timeout: 120_000 });
  await quiz.click();
  await expect(
    page
      .getByRole('list', { name: 'Questions' })
      .getByText(/From tracemonkey, page [12]/)
      .first(),
  ).toBeVisible();
  await quizzes.takeQuiz();
  const results = page.getByRole('region', { name: 'Results' });
  await expect(results.getByRole('heading', { name: /Score: \d of \d/ })).toBeVisible({ timeout: 60_000 });

  // The score is kept in the class's history.
  await quizzes.open();
  await expect(page.getByRole('region', { name: 'Score history' })).toContainText(
    'Quiz: tracemonkey, pages 1–2',
  );

  await quizzes.generate({ kind: 'Flashcards', from: 'tracemonkey', pages: [1, 1], count: 2 });
  const cards = quizzes.generated().getByRole('link', { name: 'Flashcards: tracemonkey, page 1' });
  await expect(cards).toBeVisible({ timeout: 120_000 });
  await cards.click();
  await page.getByRole('button', { name: 'Add all' }).click();
  await expect(page.getByRole('status')).toHaveText(/\d cards? added to your deck/);
  await expect(page.getByText('In your deck').first()).toBeVisible();
});

test('flashcards from a lecture are flagged "Source changed" after a transcript line is corrected, and kept as they are', async ({
  page,
  engine,
  models,
}) => {
  test.setTimeout(240_000);
  await page.goto(engine.current.url);
  const tutor = new TutorPage(page);
  await tutor.open();
  await useModelFile(tutor.setup(), models.chat);
  await expect(tutor.setup()).toBeHidden({ timeout: 30_000 });

  const lectures = new LecturesPage(page);
  await lectures.openRecorder();
  await useModelFile(lectures.speechModelSetup(), models.whisper);
  await expect(lectures.speechModelSetup()).toBeHidden({ timeout: 30_000 });
  await lectures.recordFor('Ask not', 1);
  await expect(lectures.captions().first()).toBeVisible({ timeout: 60_000 });
  await lectures.stopAndOpen('Ask not');
  await expect(lectures.transcriptLines().first()).toBeVisible();

  await page.getByRole('link', { name: 'Generate quiz / flashcards' }).click();
  const quizzes = new QuizzesPage(page);
  // Its last words are captioned after the stop, then its transcript is indexed: until then the
  // lecture is refused with that reason.
  await expect(async () => {
    await quizzes.generate({ kind: 'Flashcards', from: 'Ask not', count: 2 });
    await expect(page.getByText('Started; it is written in the background.')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  const cards = quizzes.generated().getByRole('listitem').filter({ hasText: 'Flashcards: Ask not' });
  await expect(cards).toBeVisible({ timeout: 120_000 });
  await expect(cards).not.toContainText('with a changed source');

  // The student corrects what was said; the cards made from that passage are flagged.
  await lectures.open();
  await lectures.lecture('Ask not').getByRole('link').first().click();
  // The Edit button shows when the line is pointed at.
  const line = lectures.transcriptLines().first();
  await line.hover();
  await line.getByRole('button', { name: /^Edit the line at/ }).click();
  await page.getByLabel(/^Text of the line at/).fill('Ask not what your country can do for you.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('edited', { exact: true })).toBeVisible();

  await quizzes.open();
  await expect(cards).toContainText('with a changed source');
  await cards.getByRole('link').click();
  const flags = page.getByRole('note');
  await expect(flags.first()).toContainText('Source changed');
  const flagged = await flags.count();
  await flags.first().getByRole('button', { name: 'Keep as is' }).click();
  await expect(flags).toHaveCount(flagged - 1);
});
