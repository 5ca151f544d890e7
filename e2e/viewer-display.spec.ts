import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession } from './fixtures/browser-device';
import { canvasLuma, waitForImage, correlation, decodeUncompressedGrey, dicomFile, expectedOnCanvas, seriesWithBrokenImage, stats, type Luma } from './fixtures/dicom-pixels';

// What the study viewer shows of images that are hard to show, in Chromium
// on "Dateien ansehen": a broken image among good ones (told in its pane,
// and every image after it still drawn), an RT dose of 32-bit values scaled
// into Gy, and a window set by hand that stays while scrolling.

let api: APIRequestContext;
let page: Page;

const SHOTS = 'artifacts/screenshots';

/** Pixels of the canvas brighter than the background. */
const lit = (l: Luma) => l.values.filter((v) => v > 8).length;

test.beforeAll(async ({ baseURL, browser }) => {
  api = await pwRequest.newContext({ baseURL });
  const me = await registerViaApi(api, { prefix: 'viewer-display' });
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await openWithApiSession(page, { api, password: me.password, orgShortName: me.orgShortName }, '/app/ansehen');
  await expect(page.getByRole('heading', { name: 'Dateien ansehen' })).toBeVisible();
});

test.afterAll(async () => {
  await Promise.all([api?.dispose(), page?.context().close()]);
});

test('a broken image is told in its pane, and every image after it is drawn, in that pane and others', async () => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.getByTestId('pick-files').setInputFiles([...seriesWithBrokenImage(), dicomFile('MR_small.dcm')]);
  await expect(page.getByTestId('local-summary')).toContainText('2 Serien · 4 Bilder');
  const viewer = page.getByTestId('study-viewer');
  await viewer.getByRole('button', { name: /^Serie NM/ }).click();
  const pane = page.getByTestId('viewport-0');
  await waitForImage(page);
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 3');
  const first = await canvasLuma(page);
  expect(lit(first)).toBeGreaterThan(10_000);

  // The broken one: said in words, over the whole image.
  await pane.focus();
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 2 / 3');
  await expect(pane.getByRole('alert')).toHaveText(
    'Dieses Bild kann im Browser nicht dargestellt werden. Übertragungssyntax: JPEG 2000 (1.2.840.10008.1.2.4.91). Öffnen Sie die Datei bitte in Ihrer Befundungssoftware.',
  );
  await page.screenshot({ path: `${SHOTS}/viewer-broken-image.png` });

  // The next one is drawn: the engine goes on drawing after the broken image.
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 3 / 3');
  await expect(pane.getByRole('alert')).toHaveCount(0);
  await waitForImage(page);
  const third = await canvasLuma(page);
  expect(lit(third)).toBeGreaterThan(10_000);
  expect(stats(third.values).sd).toBeGreaterThan(10);

  // Back over it to the first: drawn as before.
  await page.keyboard.press('ArrowUp');
  await expect(pane.getByRole('alert')).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 3');
  await expect(pane.getByRole('alert')).toHaveCount(0);
  await waitForImage(page);
  expect(correlation((await canvasLuma(page)).values, first.values)).toBeGreaterThan(0.99);

  // Another series in the same pane, with the right pixels.
  await viewer.getByRole('button', { name: /^Serie MR/ }).click();
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 1');
  await waitForImage(page);
  const mr = await canvasLuma(page);
  const { inside, expected } = expectedOnCanvas(decodeUncompressedGrey('MR_small.dcm'), mr, await windowOf(page));
  expect(correlation(inside.map((k) => mr.values[k]), expected)).toBeGreaterThan(0.98);

  // A second pane, showing the NM series at its broken image: the MR beside it is still drawn.
  await viewer.getByRole('button', { name: 'Layout 1 × 2' }).click();
  const second = page.getByTestId('viewport-1');
  await waitForImage(page, 1);
  await expect(second.getByTestId('image-index-1')).toHaveText('Bild 1 / 3');
  await second.focus();
  await page.keyboard.press('ArrowDown');
  await expect(second.getByRole('alert')).toBeVisible();
  // The MR beside it, drawn anew in another window.
  await page.getByTestId('viewport-0').focus();
  await page.getByLabel('Fensterung: Voreinstellung').selectOption({ label: 'Knochen (2000/400)' });
  await expect(page.getByTestId('window-level-0')).toHaveText('F: 2000 Z: 400');
  await page.waitForTimeout(300);
  const rewindowed = await canvasLuma(page, 0);
  expect(lit(rewindowed)).toBeGreaterThan(1000);
  expect(stats(rewindowed.values).mean).not.toBeCloseTo(stats(mr.values).mean, 0);
  await second.focus();
  await page.keyboard.press('ArrowDown');
  await expect(second.getByRole('alert')).toHaveCount(0);
  await waitForImage(page, 1);
  expect(lit(await canvasLuma(page, 1))).toBeGreaterThan(10_000);
  // Nothing thrown but the refusal itself (cornerstone leaves the rejected loads of its prefetching unhandled).
  expect(errors.filter((e) => !e.startsWith('decoded image has 0 × 0 pixels'))).toEqual([]);
  await viewer.getByRole('button', { name: 'Layout 1 × 1' }).click();
});

test('an RT dose of 32-bit values is shown from its smallest to its largest dose, frame by frame', async () => {
  await page.getByTestId('pick-files').setInputFiles(dicomFile('rtdose.dcm'));
  const pane = page.getByTestId('viewport-0');
  await waitForImage(page);
  await expect(pane.getByRole('alert')).toHaveCount(0);
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 15');
  for (const frame of [1, 8, 15]) {
    await test.step(`frame ${frame}`, async () => {
      await pane.focus();
      while ((await pane.getByTestId('image-index-0').textContent()) !== `Bild ${frame} / 15`) await page.keyboard.press('ArrowDown');
      await waitForImage(page);
      // In Gy (Dose Grid Scaling 10⁻⁶): a window of about 0.5 around 1.
      expect(await windowOf(page)).toMatchObject({ width: expect.closeTo(0.5, 0), center: expect.closeTo(1, 0) });
      // The frame's raw values from smallest to largest: the window the viewer chose, in stored units.
      const dose = decodeUncompressedGrey('rtdose.dcm', frame - 1);
      let [min, max] = [Infinity, -Infinity];
      for (const v of dose.values) [min, max] = [Math.min(min, v), Math.max(max, v)];
      const shown = await canvasLuma(page);
      const { inside, expected } = expectedOnCanvas(dose, shown, { width: max - min, center: (max + min) / 2 });
      const r = correlation(inside.map((k) => shown.values[k]), expected);
      const st = stats(inside.map((k) => shown.values[k]));
      console.log(`rtdose frame ${frame}: r=${r.toFixed(4)} mean=${st.mean.toFixed(1)} sd=${st.sd.toFixed(1)}`);
      expect(st.sd).toBeGreaterThan(20);
      expect(r).toBeGreaterThan(0.95);
    });
  }
  await page.screenshot({ path: `${SHOTS}/viewer-rtdose.png` });
});

test('a window set by hand stays while scrolling through the series, until reset or another series', async () => {
  await page.getByTestId('pick-files').setInputFiles([dicomFile('JPGExtended.dcm'), dicomFile('JPEG2000.dcm'), dicomFile('MR_small.dcm')]);
  const viewer = page.getByTestId('study-viewer');
  await viewer.getByRole('button', { name: /^Serie NM/ }).click();
  const pane = page.getByTestId('viewport-0');
  await waitForImage(page);
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 2');
  const wl = pane.getByTestId('window-level-0');
  const own = [await wl.textContent()];
  await pane.focus();
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 2 / 2');
  await waitForImage(page);
  own.push(await wl.textContent());
  // The two images have windows of their own (from their values).
  expect(own[0]).not.toBe(own[1]);

  // A dragged window stays on the next image and back, and the image is drawn in it.
  await page.keyboard.press('ArrowUp');
  await waitForImage(page);
  const ownLuma = await canvasLuma(page);
  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 300, box.y + box.height / 2 - 200, { steps: 10 });
  await page.mouse.up();
  await expect(wl).not.toHaveText(own[0]!);
  const dragged = (await wl.textContent())!;
  await page.waitForTimeout(250);
  const draggedLuma = await canvasLuma(page);
  // The image's part of the canvas, drawn otherwise.
  const image = ownLuma.values.map((_, k) => k).filter((k) => ownLuma.values[k] > 0 || draggedLuma.values[k] > 0);
  const meanOf = (l: Luma) => stats(image.map((k) => l.values[k])).mean;
  expect(Math.abs(meanOf(draggedLuma) - meanOf(ownLuma))).toBeGreaterThan(5);
  await pane.focus();
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 2 / 2');
  await waitForImage(page);
  await expect(wl).toHaveText(dragged);
  await page.keyboard.press('ArrowUp');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 2');
  await waitForImage(page);
  await expect(wl).toHaveText(dragged);
  expect(correlation((await canvasLuma(page)).values, draggedLuma.values)).toBeGreaterThan(0.99);

  // So does a preset.
  const preset = page.getByLabel('Fensterung: Voreinstellung');
  await preset.selectOption({ label: 'Knochen (2000/400)' });
  await expect(wl).toHaveText('F: 2000 Z: 400');
  await pane.focus();
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 2 / 2');
  await waitForImage(page);
  await expect(wl).toHaveText('F: 2000 Z: 400');

  // Back to the file's own windows, image by image.
  await preset.selectOption({ label: 'Standard (aus der Datei)' });
  await expect(wl).toHaveText(own[1]!);
  await pane.focus();
  await page.keyboard.press('ArrowUp');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 2');
  await waitForImage(page);
  await expect(wl).toHaveText(own[0]!);

  // Another series starts in its own window, and so does this one again.
  await preset.selectOption({ label: 'Knochen (2000/400)' });
  await viewer.getByRole('button', { name: /^Serie MR/ }).click();
  await waitForImage(page);
  await expect(wl).not.toHaveText('F: 2000 Z: 400');
  await viewer.getByRole('button', { name: /^Serie NM/ }).click();
  await waitForImage(page);
  await expect(wl).toHaveText(own[0]!);
});

/** The window the pane shows, from its overlay. */
async function windowOf(p: Page, pane = 0) {
  const [, width, center] = (await p.getByTestId(`window-level-${pane}`).textContent())!.match(/^F: (-?[\d.]+) Z: (-?[\d.]+)$/)!;
  return { width: Number(width), center: Number(center) };
}
