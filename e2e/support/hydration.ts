// A page whose server HTML and first browser render differ is a hydration error: React throws the
// server's HTML away (a flash, lost focus, and a wrong date seen first). This fixture listens to
// every page a test opens and fails the test on any hydration warning or error in its console.
// A spec gets it by importing `test` (and `expect`) from here instead of @playwright/test.
//
// The e2e console is a production build: React 18 then reports a mismatch as "Minified React
// error #418/#423/#425…" through window.reportError (a Playwright `pageerror`), not as the
// development build's "Warning: Text content did not match…" on console.error; both are matched.
import { test as base, expect, type Page } from '@playwright/test';

export { expect };

export interface ConsoleProblem {
  /** The page's URL when it was reported. */
  url: string;
  source: 'console' | 'pageerror';
  /** console: "error" | "warning"; pageerror: the error's name. */
  type: string;
  text: string;
}

// React 18's hydration messages, development and production (react-dom error codes 418, 419,
// 421, 422, 423, 425: https://react.dev/errors), and Remix's own hydration warnings.
const HYDRATION = [
  /Text content did not match/i,
  /Text content does not match/i,
  /Hydration failed/i,
  /error while hydrating/i,
  /Warning: Prop `[^`]*` did not match/i,
  /Warning: Expected server HTML to contain/i,
  /Warning: Did not expect server HTML to contain/i,
  /Warning: An error occurred during hydration/i,
  /Minified React error #(418|419|421|422|423|425)\b/,
  /hydrat/i,
];

export const isHydrationProblem = (p: ConsoleProblem) => HYDRATION.some((re) => re.test(p.text));

/** Collects a page's console errors and warnings and its uncaught errors, from now on. */
export function collectConsoleProblems(page: Page): ConsoleProblem[] {
  const problems: ConsoleProblem[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push({ url: page.url(), source: 'console', type: m.type(), text: m.text() });
  });
  page.on('pageerror', (e) => problems.push({ url: page.url(), source: 'pageerror', type: e.name, text: `${e.message}\n${e.stack ?? ''}` }));
  return problems;
}

/** Opens a URL and waits until React has hydrated it (app/root.tsx marks <html data-hydrated>). */
export async function gotoHydrated(page: Page, url: string) {
  const response = await page.goto(url);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 20_000 });
  return response;
}

export const test = base.extend<{ consoleProblems: ConsoleProblem[]; noHydrationProblems: void }>({
  /** Every console error/warning and uncaught error of the test's `page`. */
  // The second argument is Playwright's `use`, renamed: the React lint rule reads `use` as a hook.
  consoleProblems: async ({ page }, provide) => {
    await provide(collectConsoleProblems(page));
  },
  /** Automatic: after each test, no hydration warning or error may have been reported. */
  noHydrationProblems: [
    async ({ consoleProblems }, provide, testInfo) => {
      await provide();
      const hydration = consoleProblems.filter(isHydrationProblem);
      if (consoleProblems.length) await testInfo.attach('console problems', { body: JSON.stringify(consoleProblems, null, 2), contentType: 'application/json' });
      expect(hydration, `React hydration warnings or errors (${hydration.length}): ${hydration.map((p) => `${p.url}: ${p.text.split('\n')[0]}`).join(' | ')}`).toEqual([]);
    },
    { auto: true },
  ],
});
