import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { makeTestChatModel } from '../scripts/fixtures/make-llama-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import { expect, test } from './support/fixtures.js';
import { fixture } from './support/test-files.js';
import { goTo } from './support/navigation.js';

const tracemonkey = fixture('pdf/tracemonkey.pdf');

/** A generated chat model (real GGUF, random weights) and a catalog that offers it. */
const fixtures = mkdtempSync(join(tmpdir(), 'lm-e2e-tutor-'));
const model = makeTestChatModel(fixtures);
const catalog = writeModelCatalog(fixtures, [
  { id: 'test-chat', kind: 'llm', file: model.path, name: 'Test Chat', fileName: 'test-chat.gguf' },
]);
test.afterAll(() => rmSync(fixtures, { recursive: true, force: true }));
test.use({ engineArgs: ['--model-catalog', catalog, '--llm-threads', '1'] });

async function importTracemonkey(page: Page): Promise<void> {
  await goTo(page, 'Library');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import files' }).click();
  await (await chooser).setFiles(tracemonkey);
  const materials = page.getByRole('list', { name: 'Materials' });
  await expect(materials.getByRole('listitem').filter({ hasText: 'tracemonkey' })).toContainText('14', {
    timeout: 60_000,
  });
}

/**
 * Presses Stop as soon as the answer's first words appear. A random-weight model sometimes ends
 * an answer on its own within a few tokens, before Stop can be pressed: the answer is then
 * written again, until one is stopped mid-stream.
 */
async function stopMidAnswer(page: Page, answer: Locator): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await expect(answer.locator('.md').first()).not.toBeEmpty({ timeout: 60_000 });
    await page
      .getByRole('button', { name: 'Stop' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
    if (await answer.getByText('Stopped', { exact: true }).isVisible()) {
      await expect(answer.locator('.md').first()).not.toBeEmpty(); // what was written is kept
      return;
    }
    await answer.getByRole('button', { name: 'Regenerate' }).click();
  }
  throw new Error('Five answers in a row ended before Stop could be pressed.');
}

async function ask(page: Page, question: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Ask the tutor' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('install a chat model from a file, ask about an imported PDF, follow a source chip to its page, and stop an answer', async ({
  page,
  engine,
}) => {
  test.setTimeout(180_000);
  await page.goto(engine.current.url);
  await importTracemonkey(page);

  // No model yet: the tutor says so and offers the one that fits, from a file the student has.
  await goTo(page, 'Tutor');
  const setup = page.getByRole('region', { name: 'The tutor needs a model to answer' });
  await expect(setup).toBeVisible();
  await setup.getByRole('button', { name: 'Use a file I already have' }).click();
  await setup.getByLabel('Path of the model file').fill(model.path);
  await setup.getByRole('button', { name: 'Use this file' }).click();
  await expect(setup).toBeHidden({ timeout: 30_000 });

  await ask(page, 'What is a typed trace tree anchored at the loop header?');
  const answers = page.getByRole('list', { name: 'Messages' }).getByRole('listitem', { name: 'Tutor' });
  const answer = answers.last();
  // The answer streams in (random weights: the words are gibberish, the path is real).
  await expect(answer.locator('.md').first()).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 60_000 });
  await expect(answer).toContainText('Test Chat');

  // The sources the answer was given, numbered as the model saw them, each naming its page; the
  // first is page 6. (A random model writes no [n] of its own, so the chips in the text are
  // covered by the UI tests; these links open the viewer the same way.)
  const sources = answer.locator('details.answer-sources');
  await sources.locator('summary').click();
  const first = sources.getByRole('listitem').first();
  await expect(first).toContainText('p. 6');
  await first.getByRole('link', { name: 'tracemonkey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'tracemonkey' })).toBeVisible();
  await expect(page.getByText('Page 6 of 14')).toBeVisible();

  // Back in the conversation, a second answer is stopped while it is being written.
  await page.goBack();
  await ask(page, 'How do side exits become hot and extend the trace tree?');
  await stopMidAnswer(page, answers.nth(1));
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
});
