import { expect, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

/** The Quizzes page: generate from a material or lecture, follow the job, open and take a quiz. */
export class QuizzesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Quizzes');
    await expect(this.page.getByRole('heading', { name: 'Quizzes', level: 1 })).toBeVisible();
  }

  form(): Locator {
    return this.page.getByRole('form', { name: 'Generate' });
  }

  async generate(options: {
    kind: 'A quiz' | 'Flashcards';
    from: string;
    pages?: [number, number];
    count: number;
  }) {
    const form = this.form();
    await form.getByLabel('Make').selectOption({ label: options.kind });
    await form.getByLabel('From').selectOption({ label: options.from });
    if (options.pages) {
      await form.getByLabel('First page').fill(String(options.pages[0]));
      await form.getByLabel('Last page').fill(String(options.pages[1]));
    }
    await form.getByLabel('How many').fill(String(options.count));
    await form.getByRole('button', { name: 'Generate' }).click();
  }

  generated(): Locator {
    return this.page.getByRole('list', { name: 'Generated' });
  }

  /** Answers every question by keyboard (the first option, true, or a typed answer) and finishes. */
  async takeQuiz(): Promise<void> {
    await this.page.getByRole('button', { name: 'Take the quiz' }).click();
    for (;;) {
      const finish = this.page.getByRole('button', { name: 'Finish and grade' });
      const typed = this.page.getByLabel('Your answer');
      if (await typed.isVisible()) await typed.fill('a trace tree');
      else await this.page.keyboard.press('1');
      if (!(await typed.isVisible())) await this.page.keyboard.press('t');
      if (await finish.isVisible()) {
        await finish.click();
        return;
      }
      await this.page.getByRole('button', { name: 'Next' }).click();
    }
  }
}
