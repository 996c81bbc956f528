import { expectNoSeriousAxeViolations } from './support/accessibility.js';
import { expect, test } from './support/fixtures.js';
import { isWhollyInView, scrollingParts, VIEWPORTS } from './support/layout.js';
import { TutorPage } from './support/tutor-page.js';

for (const size of VIEWPORTS) {
  test(`the tutor fits a ${size.width}x${size.height} window: the question field in view, one scroll container`, async ({
    page,
    engine,
  }, testInfo) => {
    await page.setViewportSize(size);
    await page.goto(engine.current.url);
    const tutor = new TutorPage(page);
    await tutor.open();
    // No model yet: the call to action fills the chat, which is what makes it scroll on a short window.
    await expect(tutor.setup()).toBeVisible();

    // The question field and Send are in the window, without scrolling anything.
    await expect(tutor.composer()).toBeInViewport({ ratio: 1 });
    expect(await isWhollyInView(page, '.composer')).toBe(true);

    // The window never scrolls; at most the messages do.
    const scrolling = await scrollingParts(page);
    expect(scrolling.filter((part) => part !== '.tutor-messages')).toEqual([]);
    await page.mouse.move(size.width / 2, size.height / 2);
    await page.mouse.wheel(0, 2000);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(tutor.composer()).toBeInViewport({ ratio: 1 });

    // The chat keeps room to read: the conversation list folds away on a narrow window.
    const chatWidth = (await page.locator('.tutor-chat').boundingBox())?.width ?? 0;
    expect(chatWidth).toBeGreaterThan(440);
    await tutor.showConversations();
    await expect(tutor.conversations()).toBeVisible();
    await expect(tutor.composer()).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    await testInfo.attach(`tutor-${size.width}x${size.height}`, {
      body: await page.screenshot(),
      contentType: 'image/png',
    });
    await expectNoSeriousAxeViolations(page, `the tutor at ${size.width}x${size.height}`);
  });
}
