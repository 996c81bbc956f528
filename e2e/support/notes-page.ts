import { expect, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

/** The Notes page and its editor, driven by role, label and keyboard as a student would. */
export class NotesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Notes');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Notes' })).toBeVisible();
  }

  async showClass(name: string): Promise<void> {
    await this.page.getByLabel('Class', { exact: true }).first().selectOption({ label: name });
  }

  async newNote(): Promise<void> {
    await this.page.getByRole('button', { name: 'New note' }).click();
    await expect(this.body()).toBeVisible();
  }

  list(): Locator {
    return this.page.getByRole('list', { name: 'Notes' });
  }

  title(): Locator {
    return this.page.getByRole('textbox', { name: 'Note title' });
  }

  body(): Locator {
    return this.page.getByRole('textbox', { name: 'Note text' });
  }

  /** "Saved" once what was typed is stored. */
  async expectSaved(): Promise<void> {
    await expect(this.page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible({
      timeout: 15_000,
    });
  }

  /** Pastes plain text into an editor, as Ctrl+V from another program would. */
  async paste(editor: Locator, text: string): Promise<void> {
    await editor.click();
    await editor.evaluate((element, pasted) => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      element.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, text);
  }
}
