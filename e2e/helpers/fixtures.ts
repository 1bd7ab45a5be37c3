// `test` for the app specs: the page never reloads because a file changed on the dev server
// (seven people edit the tree while tests run), and the page's errors are kept for assertions.
import { test as base } from '@playwright/test';

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await use(errors);
  },
  page: async ({ page }, use) => {
    // Vite's HMR socket would reload the page on any edit: answer it ourselves, silently.
    await page.routeWebSocket(/.*/, () => undefined);
    await use(page);
  },
});
// The app specs' Chromium flags (WebGPU canvases present) come from the `app` project in playwright.config.ts.

export { expect } from '@playwright/test';

/** A page shared by the tests of a serial group (the tiny model takes a while to warm up). */
export async function openApp(browser: import('@playwright/test').Browser, url: string, init?: () => void): Promise<import('@playwright/test').Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.routeWebSocket(/.*/, () => undefined);
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return page;
}
