// Part 3 of the studies benchmark: the viewer on a CT series, encrypted from
// the server against the same files from disk — the first image and scrolling.
import { expect, type Page } from '@playwright/test';
import { reloadAndUnlock } from '../../e2e/fixtures/browser-device';
import { median } from '../lib/app-server';
import { marks } from './browser';
import { T, sleep, withTimeout } from './common';
import type { Account } from './upload';

export const SLICES = 200;

export type Step = { image: number; rendered: number; overlay: number };
/** rendering: how the viewer drew (its data-rendering: "cpu" where WebGL is software, see lib/viewer/drawing.ts). */
export type ViewRun = { kind: 'encrypted' | 'local'; firstMs: number; firstImageSetMs: number; scrollMs: number; perSecond: number; lit: number; step: Step; rendering: string | null };

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
  await sleep(1000);
  const scroll = await scrollThrough(page);
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
  await sleep(1000);
  const scroll = await scrollThrough(page);
  return { kind: 'local', firstMs, firstImageSetMs, scrollMs: scroll.ms, perSecond: (SLICES - 1) / (scroll.ms / 1000), lit: first.lit, step: scroll.step, rendering: await renderingOf(page) };
}
