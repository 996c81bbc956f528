import { expect, test } from './support/fixtures.js';
import { expectViewerAt, LibraryPage } from './support/library-page.js';
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
