import { makeTestChatModel } from '../scripts/fixtures/make-llama-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test as base } from './support/fixtures.js';
import { LibraryPage } from './support/library-page.js';
import { useModelFile } from './support/model-file.js';
import { QuizzesPage } from './support/quizzes-page.js';
import { fixture } from './support/test-files.js';
import { TutorPage } from './support/tutor-page.js';

const tracemonkey = fixture('pdf/tracemonkey.pdf');

/** A generated chat model (real GGUF, random weights: the grammar keeps the JSON valid) and a catalog offering it. */
const test = base.extend<object, { chatModel: { path: string; catalog: string } }>({
  chatModel: [
    async ({ workerFolder }, use) => {
      const { path } = makeTestChatModel(workerFolder);
      const catalog = writeModelCatalog(workerFolder, [
        { id: 'test-chat', kind: 'llm', file: path, name: 'Test Chat', fileName: 'test-chat.gguf' },
      ]);
      await use({ path, catalog });
    },
    { scope: 'worker' },
  ],
  engineArgs: async ({ chatModel }, use) => use(['--model-catalog', chatModel.catalog, '--llm-threads', '1']),
});

test('generate a quiz from pages of a PDF, take it by keyboard, and add proposed flashcards to the deck', async ({
  page,
  engine,
  chatModel,
}) => {
  test.setTimeout(240_000);
  await page.goto(engine.current.url);
  const library = new LibraryPage(page);
  await library.open();
  await library.importFiles(tracemonkey);
  await library.waitUntilImported('tracemonkey', 14);

  const tutor = new TutorPage(page);
  await tutor.open();
  await useModelFile(tutor.setup(), chatModel.path);
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
