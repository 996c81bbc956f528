import { expect, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

/** Settings: backups and the model catalog. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Settings');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  }

  async backUpNow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Back up now' }).click();
  }

  backups(): Locator {
    return this.page.getByRole('table', { name: 'Backups' });
  }

  /** The catalog's models, in its order. */
  models(): Locator {
    return this.page.getByRole('list', { name: 'Models' }).getByRole('listitem');
  }
}
