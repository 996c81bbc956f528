import type { Page } from '@playwright/test';

/** The window sizes the app is checked at: a small laptop, a short one, and a common one. */
export const VIEWPORTS = [
  { width: 800, height: 900 },
  { width: 1024, height: 700 },
  { width: 1366, height: 850 },
] as const;

/**
 * What scrolls on the page now: the window itself (when the document is taller than it), and
 * every element whose content overflows a box that scrolls. Each is named by its class.
 */
export function scrollingParts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollHeight > window.innerHeight + 1) found.push('window');
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const { overflowY } = getComputedStyle(element);
      if ((overflowY === 'auto' || overflowY === 'scroll') && element.scrollHeight > element.clientHeight + 1)
        found.push(`.${Array.from(element.classList).join('.')}`);
    }
    return found;
  });
}

/** Whether the element's box lies wholly inside the window. */
export async function isWhollyInView(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return (
      box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth
    );
  });
}
