import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

/** The Study page and its review session, driven by role, label and keyboard as a student would. */
export class StudyPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Study');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Study' })).toBeVisible();
  }

  /** Chooses an Anki package with the Import button's file picker. */
  async importPackage(path: string): Promise<void> {
    await this.page.getByLabel('Anki package to import').setInputFiles(path);
  }

  dueToday(): Locator {
    return this.page.getByRole('region', { name: 'Due today' });
  }

  deck(name: string): Locator {
    return this.page.getByRole('listitem', { name });
  }

  async startSession(): Promise<void> {
    await this.dueToday().getByRole('link', { name: 'Study now' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Review' })).toBeVisible();
  }

  card(): Locator {
    return this.page.getByRole('region', { name: 'Flashcard' });
  }

  progress(): Locator {
    return this.page.getByLabel('Cards left today');
  }

  /** Opens the deck's card list. */
  async showCards(deck: string): Promise<Locator> {
    await this.deck(deck).getByRole('button', { name: 'Show cards' }).click();
    const list = this.deck(deck).getByRole('list', { name: `Cards in ${deck}` });
    await expect(list).toBeVisible();
    return list;
  }

  /** Clicks the deck's Export deck and waits for the browser's download. */
  async exportDeck(deck: string): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.deck(deck).getByRole('button', { name: 'Export deck' }).click();
    return download;
  }

  /** Space shows the answer, a digit rates it; waits for the next card or the end. */
  async answerByKeyboard(rating: '1' | '2' | '3' | '4'): Promise<void> {
    await expect(this.card().getByLabel('Question')).toBeVisible();
    await this.page.keyboard.press('Space');
    await expect(this.card().getByRole('group', { name: 'How well did you remember?' })).toBeVisible();
    await this.page.keyboard.press(rating);
  }
}
