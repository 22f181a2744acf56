// The operator's zone as the console applies it: the tenant layout names it on the main
// navigation (data-time-zone), and every date of the page is written in it. A new operator's
// first page sends the browser's zone once; the page is written again in it when it is stored.
import { expect, type Page } from '@playwright/test';

/** Waits until the page writes its dates in `zone` (the browser's, sent and stored, or the operator's choice). */
export async function expectOperatorZone(page: Page, zone: string) {
  await expect(page.getByTestId('topbar')).toHaveAttribute('data-time-zone', zone, { timeout: 20_000 });
}
