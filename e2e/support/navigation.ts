import type { Page } from '@playwright/test';

export type Section =
  'Dashboard' | 'Classes' | 'Library' | 'Lectures' | 'Tutor' | 'Study' | 'Notes' | 'Quizzes' | 'Settings';

/** Follows a link of the sidebar, as a student would. */
export async function goTo(page: Page, section: Section): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: section, exact: true })
    .click();
}
