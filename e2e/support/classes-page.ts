import { expect, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

export interface ClassDetails {
  name: string;
  code?: string;
  term?: string;
  instructor?: string;
  meeting?: { day: string; start: string; end: string; location?: string };
  exam?: { title: string; date: string; time?: string };
}

/** The Classes page, driven by role and label as a student (or a screen reader) would. */
export class ClassesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Classes');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Classes' })).toBeVisible();
  }

  list(): Locator {
    return this.page.getByRole('list', { name: 'Classes' });
  }

  item(name: string | RegExp): Locator {
    return this.list().getByRole('listitem', { name });
  }

  async create(details: ClassDetails): Promise<void> {
    await this.page.getByRole('button', { name: 'New class' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New class' });
    await this.fill(dialog, details);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  async edit(name: string, changes: Partial<ClassDetails>): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Edit' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Edit class' });
    await this.fill(dialog, changes);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  async delete(name: string): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Delete' }).click();
    const confirm = this.page.getByRole('dialog', { name: 'Delete class?' });
    await expect(confirm).toContainText(name);
    await confirm.getByRole('button', { name: 'Delete class' }).click();
    await expect(confirm).toBeHidden();
  }

  private async fill(dialog: Locator, details: Partial<ClassDetails>): Promise<void> {
    if (details.name !== undefined) await dialog.getByLabel('Name', { exact: true }).fill(details.name);
    if (details.code !== undefined) await dialog.getByLabel('Code', { exact: true }).fill(details.code);
    if (details.term !== undefined) await dialog.getByLabel('Term', { exact: true }).fill(details.term);
    if (details.instructor !== undefined)
      await dialog.getByLabel('Instructor', { exact: true }).fill(details.instructor);
    if (details.meeting) {
      await dialog.getByRole('button', { name: 'Add meeting' }).click();
      const meeting = dialog.getByRole('group', { name: 'Meeting 1' });
      await meeting.getByLabel('Day').selectOption({ label: details.meeting.day });
      await meeting.getByLabel('Start').fill(details.meeting.start);
      await meeting.getByLabel('End').fill(details.meeting.end);
      if (details.meeting.location) await meeting.getByLabel('Location').fill(details.meeting.location);
    }
    if (details.exam) {
      await dialog.getByRole('button', { name: 'Add exam' }).click();
      const exam = dialog.getByRole('group', { name: 'Exam 1' });
      await exam.getByLabel('Title').fill(details.exam.title);
      await exam.getByLabel('Date').fill(details.exam.date);
      if (details.exam.time) await exam.getByLabel('Time (optional)').fill(details.exam.time);
    }
  }
}
