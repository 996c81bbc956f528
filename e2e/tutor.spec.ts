import { makeTestChatModel } from '../scripts/fixtures/make-llama-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test as base } from './support/fixtures.js';
import { fixture } from './support/test-files.js';
import { expectViewerAt, LibraryPage } from './support/library-page.js';
import { useModelFile } from './support/model-file.js';
import { TutorPage } from './support/tutor-page.js';

const tracemonkey = fixture('pdf/tracemonkey.pdf');

/** A generated chat model (real GGUF, random weights) and a catalog that offers it. */
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

test('install a chat model from a file, ask about an imported PDF, follow a source chip to its page, and stop an answer', async ({
  page,
  engine,
  chatModel,
}) => {
  test.setTimeout(180_000);
  await page.goto(engine.current.url);
  const library = new LibraryPage(page);
  await library.open();
  await library.importFiles(tracemonkey);
  await library.waitUntilImported('tracemonkey', 14);

  // No model yet: the tutor says so and offers the one that fits, from a file the student has.
  const tutor = new TutorPage(page);
  await tutor.open();
  await expect(tutor.setup()).toBeVisible();
  await useModelFile(tutor.setup(), chatModel.path);
  await expect(tutor.setup()).toBeHidden({ timeout: 30_000 });

  await tutor.ask('What is a typed trace tree anchored at the loop header?');
  const answer = tutor.answers().last();
  // The answer streams in (random weights: the words are gibberish, the path is real).
  await expect(tutor.text(answer)).not.toBeEmpty({ timeout: 60_000 });
  await tutor.waitUntilAnswered();
  await expect(answer).toContainText('Test Chat');

  // The sources the answer was given, numbered as the model saw them, each naming its page; the
  // first is page 6. (A random model writes no [n] of its own, so the chips in the text are
  // covered by the UI tests; these links open the viewer the same way.)
  // Each opens beside the chat, with the passage marked in its page; the viewer is one link away.
  const first = (await tutor.sources(answer)).first();
  await expect(first).toContainText('p. 6');
  await first.getByRole('button', { name: 'tracemonkey' }).click();
  await expect(tutor.sourcePanel()).toContainText('PDF · p. 6');
  await expect(tutor.sourcePanel().locator('mark').first()).toBeVisible();
  await expect(answer).toBeVisible();
  await tutor.sourcePanel().getByRole('link', { name: 'Open in the viewer' }).click();
  await expectViewerAt(page, 'tracemonkey', 6, 14);

  // Back in the conversation, a second answer is stopped while it is being written.
  await page.goBack();
  await tutor.ask('How do side exits become hot and extend the trace tree?');
  await tutor.stopMidAnswer(tutor.answers().nth(1));
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
});
