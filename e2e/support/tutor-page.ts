import { expect, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

/** The tutor: its setup when no model can answer, the conversation and its answers. */
export class TutorPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Tutor');
  }

  /** Shown while no model can answer: offers the one that fits. */
  setup(): Locator {
    return this.page.getByRole('region', { name: 'The tutor needs a model to answer' });
  }

  composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Ask the tutor' });
  }

  /** The list of conversations (folded away on a narrow window). */
  conversations(): Locator {
    return this.page.getByRole('region', { name: 'Conversations' });
  }

  /** Unfolds the conversation list if it is folded away. */
  async showConversations(): Promise<void> {
    const show = this.page.getByRole('button', { name: 'Show conversations' });
    if (await show.isVisible()) await show.click();
  }

  async ask(question: string): Promise<void> {
    await this.composer().fill(question);
    await this.page.getByRole('button', { name: 'Send' }).click();
  }

  answers(): Locator {
    return this.page.getByRole('list', { name: 'Messages' }).getByRole('listitem', { name: 'Tutor' });
  }

  /** The answer's text (its Markdown). */
  text(answer: Locator): Locator {
    return answer.locator('.md').first();
  }

  /** Waits until no answer is being written (Send is back). */
  async waitUntilAnswered(): Promise<void> {
    await expect(this.page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 60_000 });
  }

  /** The cited passage shown beside the chat. */
  sourcePanel(): Locator {
    return this.page.getByRole('complementary', { name: 'Source passage' });
  }

  /** The passages the answer was given, opened. */
  async sources(answer: Locator): Promise<Locator> {
    const sources = answer.locator('details.answer-sources');
    await sources.locator('summary').click();
    return sources.getByRole('listitem');
  }

  /**
   * Presses Stop as soon as the answer's first words appear. A random-weight model sometimes
   * ends an answer on its own within a few tokens, before Stop can be pressed: the answer is then
   * written again, until one is stopped mid-stream.
   */
  async stopMidAnswer(answer: Locator): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect(this.text(answer)).not.toBeEmpty({ timeout: 60_000 });
      await this.page
        .getByRole('button', { name: 'Stop' })
        .click({ timeout: 2_000 })
        .catch(() => undefined);
      await expect(this.page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
      if (await answer.getByText('Stopped', { exact: true }).isVisible()) {
        await expect(this.text(answer)).not.toBeEmpty(); // what was written is kept
        return;
      }
      await answer.getByRole('button', { name: 'Regenerate' }).click();
    }
    throw new Error('Five answers in a row ended before Stop could be pressed.');
  }
}
