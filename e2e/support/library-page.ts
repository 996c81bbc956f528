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

/** The document viewer: the drawn page, its text layer, the toolbar and the thumbnails. */
export class ViewerPage {
  constructor(readonly page: Page) {}

  /** The drawn page (canvas, text layer and marks). */
  stage(): Locator {
    return this.page.locator('.page-stage');
  }

  /** pdf.js's text layer: the page's words as selectable text over the drawing. */
  textLayer(): Locator {
    return this.stage().locator('.pdf-text-layer');
  }

  thumbnails(): Locator {
    return this.page.getByRole('navigation', { name: 'Page thumbnails' }).getByRole('button');
  }

  /** Waits until the page is drawn and its text layer laid out. */
  async waitUntilDrawn(): Promise<void> {
    await expect(this.stage()).toHaveAttribute('aria-busy', 'false');
    await expect(this.textLayer().locator('span').first()).toBeAttached();
  }

  async stageWidth(): Promise<number> {
    return (await this.stage().boundingBox())?.width ?? 0;
  }

  /** Drags the mouse across the text layer's first span holding `text`, as a student selects it. */
  async selectAcross(text: string): Promise<{ selected: string; spanText: string }> {
    const span = this.textLayer().locator('span', { hasText: text }).first();
    await span.scrollIntoViewIfNeeded();
    const box = await span.boundingBox();
    if (!box) throw new Error(`no span with "${text}" on the page`);
    await this.page.mouse.move(box.x + 1, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 8 });
    await this.page.mouse.up();
    const selected = await this.page.evaluate(() => document.getSelection()?.toString() ?? '');
    return { selected, spanText: (await span.textContent()) ?? '' };
  }
}
