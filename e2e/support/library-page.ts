import { expect, type FileChooser, type Locator, type Page } from '@playwright/test';
import { goTo } from './navigation.js';

/** The Library: importing files, the materials list, and search. */
export class LibraryPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Library');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  }

  /** Chooses files through the Import files button, as a student would. */
  async importFiles(files: Parameters<FileChooser['setFiles']>[0]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Import files' }).click();
    await (await chooser).setFiles(files);
  }

  /** The rows of the files being imported. */
  imports(): Locator {
    return this.page.getByRole('region', { name: 'Imports' });
  }

  materials(): Locator {
    return this.page.getByRole('list', { name: 'Materials' }).getByRole('listitem');
  }

  material(name: string): Locator {
    return this.materials().filter({ hasText: name });
  }

  /** Waits until the import has read every page (the material shows its page count). */
  async waitUntilImported(name: string, pages: number): Promise<void> {
    await expect(this.material(name)).toContainText(String(pages), { timeout: 60_000 });
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search your library' }).fill(text);
  }

  results(): Locator {
    return this.page.getByRole('list', { name: 'Results' }).getByRole('listitem');
  }
}

/** The viewer a search hit or a citation opens. */
export async function expectViewerAt(page: Page, title: string, pageNumber: number, pages: number) {
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(`Page ${pageNumber} of ${pages}`)).toBeVisible();
}
