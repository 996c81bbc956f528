import { expect, type Locator, type Page } from '@playwright/test';

/** A class's hub (`#/classes/:id`), reached from the dashboard or the Classes page. */
export class ClassHubPage {
  constructor(readonly page: Page) {}

  /** Follows the class's name in the dashboard's "Your classes". */
  async openFromDashboard(name: string): Promise<void> {
    await this.page
      .getByRole('region', { name: 'Your classes' })
      .getByRole('link', { name, exact: true })
      .click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  section(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  async askTheTutor(): Promise<void> {
    await this.page.getByRole('link', { name: 'Ask the tutor about this class' }).click();
  }
}
