import { expect, test } from './support/fixtures.js';
import AxeBuilder from '@axe-core/playwright';
import { expectViewerAt, LibraryPage, ViewerPage } from './support/library-page.js';
import { fixture } from './support/test-files.js';

const tracemonkey = fixture('pdf/tracemonkey.pdf');

test('a PDF chosen with Import files imports, is found by a sentence, and opens at its page', async ({
  page,
  engine,
}) => {
  // pdf.js must not try what the page's CSP forbids (its WebAssembly colour code, say).
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  await page.goto(engine.current.url);
  const library = new LibraryPage(page);
  await library.open();
  await library.importFiles(tracemonkey);

  await expect(library.imports().getByRole('listitem', { name: /tracemonkey\.pdf/ })).toBeVisible();
  await library.waitUntilImported('tracemonkey', 14);

  await library.search('typed trace tree anchored at the loop header');
  const first = library.results().first();
  await expect(first).toContainText('p. 6');
  await expect(first.locator('mark').first()).toBeVisible();
  await first.getByRole('link').first().click();
  await expectViewerAt(page, 'tracemonkey', 6, 14);
  // The hit's passage is marked on the drawn page and scrolled into view.
  const viewer = new ViewerPage(page);
  await viewer.waitUntilDrawn();
  await expect(viewer.stage().locator('.highlight-passage').first()).toBeInViewport();
  expect(blocked).toEqual([]);

  // Importing the same file again says so instead of storing it twice.
  await library.open();
  await library.importFiles(tracemonkey);
  await expect(library.imports()).toContainText(/already in your library/i);
  await expect(library.materials()).toHaveCount(1);
});

test('a file that is not a document is refused with the reason, and nothing is added', async ({
  page,
  engine,
}) => {
  await page.goto(engine.current.url);
  const library = new LibraryPage(page);
  await library.open();
  await library.importFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) });
  await expect(library.imports()).toContainText(/empty/i, { timeout: 30_000 });
  await expect(library.materials()).toHaveCount(0);
});

test('the viewer: select text on a PDF page, zoom, page with the keys, find, thumbnails; accessible', async ({
  page,
  engine,
}) => {
  test.slow(); // an import of 14 pages, then the viewer
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  await page.setViewportSize({ width: 1366, height: 850 });
  await page.goto(engine.current.url);
  const library = new LibraryPage(page);
  await library.open();
  await library.importFiles(tracemonkey);
  await library.waitUntilImported('tracemonkey', 14);
  await library.material('tracemonkey').getByRole('link', { name: 'tracemonkey' }).click();
  await expectViewerAt(page, 'tracemonkey', 1, 14);
  const viewer = new ViewerPage(page);
  await viewer.waitUntilDrawn();
  // A thumbnail per page, drawn only once scrolled into the rail's view.
  await expect(viewer.thumbnails()).toHaveCount(14);
  await expect(page.locator('.thumbnail[data-drawn]').first()).toBeAttached();
  expect(await page.locator('.thumbnail[data-drawn]').count()).toBeLessThan(14);

  // Text on the drawn page can be selected (and so copied).
  const { selected, spanText } = await viewer.selectAcross('Trace-based');
  expect(selected).toContain('Trace-based');
  expect(selected.trim()).toBe(spanText.trim());
  await expect(page.getByRole('button', { name: 'Make a card from selection' })).toBeEnabled();

  // Zoom: + draws the page wider, fit page narrower than fit width.
  const fitWidth = await viewer.stageWidth();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => viewer.stageWidth()).toBeGreaterThan(fitWidth + 20);
  await page.getByRole('combobox', { name: 'Zoom' }).selectOption('fit-page');
  await expect.poll(() => viewer.stageWidth()).toBeLessThan(fitWidth - 50);
  await page.keyboard.press('Control+0');
  await expect.poll(() => viewer.stageWidth()).toBeCloseTo(fitWidth, 0);

  // The keys page through; the page number field refuses a page that is not there.
  await page.getByRole('heading', { level: 1, name: 'tracemonkey' }).click();
  await page.keyboard.press('PageDown');
  await expectViewerAt(page, 'tracemonkey', 2, 14);
  await page.keyboard.press('End');
  await expectViewerAt(page, 'tracemonkey', 14, 14);
  await page.keyboard.press('Home');
  await expectViewerAt(page, 'tracemonkey', 1, 14);
  await page.getByLabel('Go to page').fill('15');
  await page.getByLabel('Go to page').press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Type a page number from 1 to 14.');
  await expectViewerAt(page, 'tracemonkey', 1, 14);

  // Thumbnails: one per page; one opens its page.
  await page
    .getByRole('navigation', { name: 'Page thumbnails' })
    .getByRole('button', { name: 'Page 9', exact: true })
    .click();
  await expectViewerAt(page, 'tracemonkey', 9, 14);

  // Ctrl+F finds in the whole document and opens the page of the match, marked.
  await page.keyboard.press('Control+f');
  const find = page.getByRole('searchbox', { name: 'Find in this document' });
  await expect(find).toBeFocused();
  await find.fill('Blacklisting');
  await expect(page.getByText(/^1 of \d+$/)).toBeVisible();
  await expectViewerAt(page, 'tracemonkey', 6, 14);
  await expect(viewer.stage().locator('.highlight-current')).toBeInViewport();
  await find.fill('no such phrase in this paper');
  await expect(page.getByText('Not found in this document')).toBeVisible();

  // No serious or critical accessibility problems on the viewer.
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  expect(blocked).toEqual([]);
});
