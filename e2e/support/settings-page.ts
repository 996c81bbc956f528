import { expect, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

export type SettingsSection =
  'General' | 'Models' | 'Voices' | 'Tutor' | 'Data & backups' | 'Account' | 'About';

/** Opens Settings from the sidebar, then one of its sections from the settings navigation. */
export async function openSettings(page: Page, section: SettingsSection): Promise<void> {
  await goTo(page, 'Settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Settings' })
    .getByRole('link', { name: section, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: section, exact: true })).toBeVisible();
}

/** Settings, one section at a time: backups, the model catalog and the voices. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async open(section: SettingsSection): Promise<void> {
    await openSettings(this.page, section);
  }

  async backUpNow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Back up now' }).click();
  }

  backups(): Locator {
    return this.page.getByRole('table', { name: 'Backups' });
  }

  /** The catalog's models (Settings › Models), grouped by purpose, each group's recommended first. */
  models(): Locator {
    return this.page.getByRole('region', { name: 'Models', exact: true }).getByRole('listitem');
  }

  /** Settings › Voices: the voice in use, samples, speed, and natural voices to install. */
  voices(): Locator {
    return this.page.getByRole('region', { name: 'Voices' });
  }
}
