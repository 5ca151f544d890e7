// Part 3 of the studies benchmark: the viewer on a CT series, encrypted from
// the server against the same files from disk — the first image and scrolling.
// To find where scrolling spends its time (printed, not written): BENCH_VIEW_CPU=1
// (CPU time of every process on the machine while scrolling),
// BENCH_VIEW_PROFILE=1 (a CPU profile of the page), BENCH_VIEW_SETTLE_MS (how
// long image 1 is looked at before scrolling; 1000 by default).
import { expect, type Page } from '@playwright/test';
import { reloadAndUnlock } from '../../e2e/fixtures/browser-device';
import { median } from '../lib/app-server';
import { marks } from './browser';
import { T, sleep, withTimeout } from './common';
import { cpuAccounted, profiled } from './viewer-probes';
import type { Account } from './upload';

export const SLICES = 200;

export type Step = { image: number; rendered: number; overlay: number };
/** rendering: how the viewer drew (its data-rendering: "cpu" where WebGL is software, see lib/viewer/drawing.ts). */
export type ViewRun = { kind: 'encrypted' | 'local'; firstMs: number; firstImageSetMs: number; scrollMs: number; perSecond: number; lit: number; step: Step; rendering: string | null };

/** How long the first image is looked at before scrolling (default 1 s, as a user would). */
const SETTLE_MS = Number(process.env.BENCH_VIEW_SETTLE_MS ?? 1000);

const renderingOf = (page: Page) => page.getByTestId('study-viewer').getAttribute('data-rendering');

const firstImage = (page: Page) =>
  withTimeout(page.evaluate((n) => (window as unknown as { __firstImage: (n: number) => Promise<{ at: number; lit: number; image: number }> }).__firstImage(n), SLICES), T, 'first image');
const scrollThrough = (page: Page) =>
  withTimeout(page.evaluate((n) => (window as unknown as { __scrollThrough: (n: number) => Promise<{ ms: number; steps: Step[] }> }).__scrollThrough(n), SLICES), 10 * 60_000, 'scrolling').then((r) => ({
    ms: r.ms,
    step: { image: median(r.steps.map((s) => s.image)), rendered: median(r.steps.map((s) => s.rendered)), overlay: median(r.steps.map((s) => s.overlay)) },
  }));

/** The recipient opens the study and clicks "Ansehen": to the first image drawn; then ArrowDown through all images. */
export async function viewEncrypted(page: Page, who: Account, studyId: string): Promise<ViewRun> {
  await reloadAndUnlock(page, who.password, `/app/studien/${studyId}`);
  await expect(page.getByTestId('study-patient')).toBeVisible({ timeout: T });
  await sleep(1000);
  await page.getByRole('button', { name: 'Ansehen', exact: true }).click();
  const first = await firstImage(page);
  const t0 = (await marks(page))['click:Ansehen']!;
  const [firstMs, firstImageSetMs] = [first.at - t0, first.image - t0];
  // A second looking at the first image, then scrolling.
  await sleep(SETTLE_MS);
  const scroll = await profiled(page, 'encrypted', () => cpuAccounted('encrypted', () => scrollThrough(page)));
  return { kind: 'encrypted', firstMs, firstImageSetMs, scrollMs: scroll.ms, perSecond: (SLICES - 1) / (scroll.ms / 1000), lit: first.lit, step: scroll.step, rendering: await renderingOf(page) };
}

/** The same series opened from disk in "Dateien ansehen": from the pick to the first image drawn; then ArrowDown through all. */
export async function viewLocal(page: Page, who: Account, dir: string): Promise<ViewRun> {
  await reloadAndUnlock(page, who.password, '/app/ansehen');
  await expect(page.getByRole('heading', { name: 'Dateien ansehen' })).toBeVisible({ timeout: T });
  await sleep(1000);
  await page.getByTestId('pick-folder').setInputFiles(dir);
  const first = await firstImage(page);
  const t0 = (await marks(page))['change:pick-folder']!;
  const [firstMs, firstImageSetMs] = [first.at - t0, first.image - t0];
  await sleep(SETTLE_MS);
  const scroll = await profiled(page, 'local', () => cpuAccounted('local', () => scrollThrough(page)));
  return { kind: 'local', firstMs, firstImageSetMs, scrollMs: scroll.ms, perSecond: (SLICES - 1) / (scroll.ms / 1000), lit: first.lit, step: scroll.step, rendering: await renderingOf(page) };
}
