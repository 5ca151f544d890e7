import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession } from './fixtures/browser-device';
import { channelDifference, colourStudy, colourfulness, dcmtkRgb, sampleCanvas, sampleReference } from './fixtures/dicom-colour';
import { canvasLuma, waitForImage, correlation, decodeUncompressedGrey, dicomFile, expectedOnCanvas, stats, undecodableFiles, type Luma } from './fixtures/dicom-pixels';

// "Dateien ansehen": local DICOM files in the study viewer, end to end in
// Chromium — picking, scrolling, window/level, a length, the tag panel, a PDF
// beside the images, the phone layout — and every transfer syntax among
// pydicom's test files shown with the right pixels.

let api: APIRequestContext;
let me: Awaited<ReturnType<typeof registerViaApi>>;
let page: Page;
let pdfPath: string;

const SHOTS = 'artifacts/screenshots';

async function pick(p: Page, names: string[], extra: string[] = []) {
  await p.getByTestId('pick-files').setInputFiles([...names.map(dicomFile), ...extra]);
}

/** The window the pane shows, from its overlay. */
async function windowOf(p: Page, pane = 0) {
  const [, width, center] = (await p.getByTestId(`window-level-${pane}`).textContent())!.match(/^F: (-?[\d.]+) Z: (-?[\d.]+)$/)!;
  return { width: Number(width), center: Number(center) };
}

test.beforeAll(async ({ baseURL, browser }) => {
  api = await pwRequest.newContext({ baseURL });
  me = await registerViaApi(api, { prefix: 'viewer' });
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await openWithApiSession(page, { api, password: me.password, orgShortName: me.orgShortName }, '/app/ansehen');
  await expect(page.getByRole('heading', { name: 'Dateien ansehen' })).toBeVisible();
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595, 842]).drawText('Befund: kein pathologischer Befund', { x: 50, y: 780, size: 14, font });
  pdfPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-')), 'befund.pdf');
  fs.writeFileSync(pdfPath, await pdf.save());
});

test.afterAll(async () => {
  await Promise.all([api?.dispose(), page?.context().close()]);
});

test('local files are viewed in the browser: scroll, window/level, a length, the tags, a PDF beside', async () => {
  await expect(page.getByTestId('local-only')).toHaveText(/nur in diesem Browser .* Nichts davon wird hochgeladen/);
  // No cornerstone before a study is opened: the viewer is its own chunk.
  const before = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(before.filter((n) => /cornerstone|dicom-image-loader|decodeImageFrame/i.test(n))).toEqual([]);

  await pick(page, ['JPGExtended.dcm', 'JPEG2000.dcm', 'CT_small.dcm', 'MR_small.dcm'], [pdfPath]);
  await expect(page.getByTestId('local-summary')).toContainText('3 Serien · 4 Bilder · 1 Anhang');
  const viewer = page.getByTestId('study-viewer');
  await expect(viewer.getByRole('button', { name: /^Serie .* anzeigen$/ })).toHaveCount(3);
  await viewer.getByRole('button', { name: /^Serie NM/ }).click();
  await waitForImage(page);
  const pane = page.getByTestId('viewport-0');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 2');

  // Scrolling: arrow key, mouse wheel.
  await pane.focus();
  await page.keyboard.press('ArrowDown');
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 2 / 2');
  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -120);
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 2');

  // Window/level by dragging (the default tool), then a preset.
  const wl = pane.getByTestId('window-level-0');
  const initial = await wl.textContent();
  expect(initial).toMatch(/^F: -?[\d.]+ Z: -?[\d.]+$/);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 8 });
  await page.mouse.up();
  await expect(wl).not.toHaveText(initial!);
  await page.getByLabel('Fensterung: Voreinstellung').selectOption({ label: 'Knochen (2000/400)' });
  await expect(wl).toHaveText('F: 2000 Z: 400');
  await page.getByLabel('Fensterung: Voreinstellung').selectOption({ label: 'Standard (aus der Datei)' });
  await expect(wl).toHaveText(initial!);

  // A length on the CT, which has a pixel spacing: the value is in mm.
  await viewer.getByRole('button', { name: /^Serie CT/ }).click();
  await waitForImage(page);
  await viewer.getByRole('button', { name: 'Länge', exact: true }).click();
  await expect(viewer.getByRole('button', { name: 'Länge', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 10 });
  await page.mouse.up();
  await expect(pane.locator('svg text').filter({ hasText: /\d+(\.\d+)? mm/ })).toBeVisible();

  // The tag panel lists every element of the image shown.
  await viewer.getByRole('button', { name: 'Tags', exact: true }).click();
  const tags = page.getByTestId('tag-table');
  await expect(tags.getByRole('row').filter({ hasText: '(0010,0010)' })).toContainText('PatientName');
  await expect(tags.getByRole('row').filter({ hasText: '(0010,0010)' })).toContainText('PN');
  await expect(tags.getByRole('row').filter({ hasText: '(0008,0060)' })).toContainText('CT');
  await expect(tags.getByRole('row').filter({ hasText: '(7FE0,0010)' })).toContainText('32.768 Bytes');
  await page.getByLabel('Tags filtern').fill('Modality');
  await expect(tags.getByRole('row')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/viewer-desktop-tags.png` });

  // The PDF beside the images, from an object URL, as tall as the viewer.
  await viewer.getByRole('button', { name: 'Anhänge', exact: true }).click();
  const pdf = viewer.locator('iframe[src^="blob:"]');
  await expect(pdf).toBeVisible();
  expect((await pdf.boundingBox())!.height).toBeGreaterThan(0.6 * (await viewer.boundingBox())!.height);
  await page.screenshot({ path: `${SHOTS}/viewer-desktop-attachments.png` });
  // Every tool in reach: the toolbar wraps rather than hiding buttons sideways.
  const toolbar = viewer.getByRole('toolbar');
  expect(await toolbar.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await expect(toolbar.getByRole('button', { name: 'Anhänge', exact: true })).toBeInViewport({ ratio: 1 });

  // Full screen for the viewer alone, and back.
  await viewer.getByRole('button', { name: 'Vollbild', exact: true }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('study-viewer');
  await viewer.getByRole('button', { name: 'Vollbild beenden', exact: true }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();

  await viewer.getByRole('button', { name: 'Anhänge schließen' }).click();
  await viewer.getByRole('button', { name: 'Layout 2 × 2' }).click();
  await expect(page.getByTestId('viewport-3')).toBeVisible();
  await waitForImage(page, 1);
  await page.screenshot({ path: `${SHOTS}/viewer-desktop.png` });

  // Without a GPU at a device pixel ratio of 1 the viewer draws on the CPU;
  // once the page is zoomed (or moved to a sharper screen) it draws with
  // WebGL — noticed at the latest at the next key, pointer or wheel — every
  // pane still at its image. (Emulation changes the ratio without the media
  // query event a real zoom sends.)
  await expect(viewer).toHaveAttribute('data-rendering', 'cpu');
  await page.getByTestId('viewport-1').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('image-index-1')).toHaveText('Bild 2 / 2');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1440, height: 900, deviceScaleFactor: 2, mobile: false });
  try {
    await page.keyboard.press('Shift');
    await expect(viewer).toHaveAttribute('data-rendering', 'gpu');
    await waitForImage(page, 1);
    await expect(page.getByTestId('image-index-1')).toHaveText('Bild 2 / 2');
    await expect(page.getByTestId('image-index-0')).toHaveText('Bild 1 / 1');
    const lit = (await canvasLuma(page, 1)).values.filter((v) => v > 8).length;
    expect(lit).toBeGreaterThan(1000);
  } finally {
    await cdp.send('Emulation.clearDeviceMetricsOverride');
  }
});

test('on a phone: a swipe scrolls through the stack, two fingers zoom', async ({ browser }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 })).newPage();
  await openWithApiSession(phone, { api, password: me.password, orgShortName: me.orgShortName }, '/app/ansehen');
  await pick(phone, ['JPGExtended.dcm', 'JPEG2000.dcm']);
  await waitForImage(phone);
  const pane = phone.getByTestId('viewport-0');
  await pane.scrollIntoViewIfNeeded();
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 1 / 2');
  const box = (await pane.boundingBox())!;
  const cdp = await phone.context().newCDPSession(phone);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd' | 'touchCancel', points: { x: number; y: number }[]) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ ...p, id })) });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Drag the stack down with one finger: the next image.
  await touch('touchStart', [{ x: cx, y: cy - 120 }]);
  for (let k = 1; k <= 10; k++) await touch('touchMove', [{ x: cx, y: cy - 120 + k * 24 }]);
  await touch('touchEnd', []);
  await expect(pane.getByTestId('image-index-0')).toHaveText('Bild 2 / 2');
  // Pinch open: zoom in (the image covers more of the canvas).
  const lit = (l: Luma) => l.values.filter((v) => v > 8).length;
  const before = lit(await canvasLuma(phone));
  await touch('touchStart', [{ x: cx - 20, y: cy }, { x: cx + 20, y: cy }]);
  for (let k = 1; k <= 10; k++) await touch('touchMove', [{ x: cx - 20 - k * 10, y: cy }, { x: cx + 20 + k * 10, y: cy }]);
  await touch('touchEnd', []);
  await phone.waitForTimeout(300);
  expect(lit(await canvasLuma(phone))).toBeGreaterThan(before * 1.2);
  await phone.screenshot({ path: `${SHOTS}/viewer-phone.png` });
  // Every control a finger uses is at least 44 px high and wide.
  const viewer = phone.getByTestId('study-viewer');
  for (const control of await viewer.getByRole('toolbar').locator('button:visible, select:visible').all()) {
    const b = (await control.boundingBox())!;
    expect(Math.min(b.width, b.height), (await control.getAttribute('aria-label')) ?? '').toBeGreaterThanOrEqual(44);
  }
  await viewer.getByRole('button', { name: 'Tags', exact: true }).click();
  await expect(phone.getByTestId('tag-table').getByRole('row').filter({ hasText: '(0008,0060)' })).toContainText('NM');
  const close = (await viewer.getByRole('button', { name: 'Tags schließen' }).boundingBox())!;
  expect(Math.min(close.width, close.height)).toBeGreaterThanOrEqual(44);
  await phone.screenshot({ path: `${SHOTS}/viewer-phone-tags.png` });
  await phone.context().close();
});

// Every transfer syntax among pydicom's test files that a browser can decode,
// in one page, its canvas compared with an image computed independently:
// pixel data decoded in Node with dcmjs for uncompressed files, otherwise the
// uncompressed (or already verified lossless) twin of the same image rendered
// by the same viewer. Correlation of the canvas luminance inside the image;
// lossy files get a lower bar. Colour files are checked channel by channel
// below.
//   file                           transfer syntax                      reference
const SYNTAXES: { file: string; syntax: string; ts: string; reference: string; min: number }[] = [
  { file: 'MR_small.dcm', syntax: 'Explicit VR Little Endian', ts: '1.2.840.10008.1.2.1', reference: 'node', min: 0.98 },
  { file: 'image_dfl.dcm', syntax: 'Deflated Explicit VR Little Endian', ts: '1.2.840.10008.1.2.1.99', reference: 'node', min: 0.98 },
  { file: 'MR_small_implicit.dcm', syntax: 'Implicit VR Little Endian', ts: '1.2.840.10008.1.2', reference: 'MR_small.dcm', min: 0.995 },
  { file: 'MR_small_bigendian.dcm', syntax: 'Explicit VR Big Endian', ts: '1.2.840.10008.1.2.2', reference: 'MR_small.dcm', min: 0.995 },
  { file: 'MR_small_RLE.dcm', syntax: 'RLE Lossless', ts: '1.2.840.10008.1.2.5', reference: 'MR_small.dcm', min: 0.995 },
  { file: 'MR_small_jpeg_ls_lossless.dcm', syntax: 'JPEG-LS Lossless', ts: '1.2.840.10008.1.2.4.80', reference: 'MR_small.dcm', min: 0.995 },
  { file: 'MR_small_jp2klossless.dcm', syntax: 'JPEG 2000 Lossless', ts: '1.2.840.10008.1.2.4.90', reference: 'MR_small.dcm', min: 0.995 },
  { file: 'JPGExtended.dcm', syntax: 'JPEG Extended (12 bit)', ts: '1.2.840.10008.1.2.4.51', reference: 'JPEG2000.dcm', min: 0.9 },
  { file: 'JPEG2000.dcm', syntax: 'JPEG 2000', ts: '1.2.840.10008.1.2.4.91', reference: 'JPGExtended.dcm', min: 0.9 },
];

// Every colour image among pydicom's test files, against dcmtk's decoding of
// the same file (or, where dcmtk cannot read it or the file is lossy, of its
// lossless twin): mean absolute difference per channel at the centre of each
// image pixel, in 8-bit steps. A stream decoded in the wrong colour space is
// off by 50 and more in some channel (SC_rgb_jpeg.dcm came out magenta where
// it is white); lossless files agree within rounding (3 × 3 images: within
// the CPU path's smoothing of such large pixels). Not here: GDCMJ2K_TextGBR.dcm
// (JPEG 2000, YBR_RCT), which dcmtk does not decode.
const COLOUR: { file: string; what: string; reference?: string; max: number }[] = [
  { file: 'SC_rgb_jpeg_dcmd.dcm', what: 'Implicit VR Little Endian, RGB', max: 1.5 },
  { file: 'SC_rgb_small_odd.dcm', what: 'Explicit VR Little Endian, RGB, 3 × 3 pixels, padded to an even length', max: 3 },
  { file: 'ExplVR_BigEnd.dcm', what: 'Explicit VR Big Endian, RGB, planar configuration 1', max: 1.5 },
  { file: 'SC_ybr_full_422_uncompressed.dcm', what: 'Explicit VR Little Endian, YBR_FULL_422', max: 3 },
  { file: 'SC_rgb_rle.dcm', what: 'RLE Lossless, RGB', max: 1.5 },
  { file: 'SC_rgb_rle_2frame.dcm', what: 'RLE Lossless, RGB, two frames', max: 1.5 },
  { file: 'SC_rgb_rle_16bit.dcm', what: 'RLE Lossless, RGB with 16 bits a sample', max: 1.5 },
  { file: 'SC_rgb_rle_32bit.dcm', what: 'RLE Lossless, RGB with 32 bits a sample', max: 1.5 },
  { file: 'SC_rgb_jpeg_gdcm.dcm', what: 'JPEG Lossless SV1, RGB', max: 1.5 },
  { file: 'SC_rgb_jpeg_dcmtk.dcm', what: 'JPEG Baseline, YBR_FULL (JFIF)', max: 3 },
  { file: 'SC_rgb_dcmtk_+eb+cy+s4.dcm', what: 'JPEG Baseline, YBR_FULL 4:4:4', max: 3 },
  { file: 'SC_rgb_dcmtk_+eb+cy+n1.dcm', what: 'JPEG Baseline, YBR_FULL, chroma 4:2:0', max: 4 },
  { file: 'SC_rgb_dcmtk_+eb+cy+n2.dcm', what: 'JPEG Baseline, YBR_FULL, chroma 4:2:2', max: 4 },
  { file: 'SC_rgb_dcmtk_+eb+cy+np.dcm', what: 'JPEG Baseline, YBR_FULL_422, chroma 4:2:0', max: 4 },
  { file: 'SC_rgb_dcmtk_+eb+cy+s2.dcm', what: 'JPEG Baseline, YBR_FULL_422, chroma 4:2:2', max: 4 },
  { file: 'SC_rgb_small_odd_jpeg.dcm', what: 'JPEG Baseline, YBR_FULL, 3 × 3 pixels', max: 4 },
  { file: 'SC_rgb_dcmtk_+eb+cr.dcm', what: 'JPEG Baseline, RGB (Adobe marker, ids R,G,B)', max: 3 },
  { file: 'SC_jpeg_no_color_transform_2.dcm', what: 'JPEG Baseline, RGB (Adobe marker, no transform)', max: 3 },
  { file: 'SC_jpeg_no_color_transform.dcm', what: 'JPEG Baseline, RGB, no marker, ids 0,1,2', max: 3 },
  { file: 'SC_rgb_jpeg.dcm', what: 'JPEG Baseline, RGB, short Adobe marker, ids 0,1,2 (implicit VR data set)', reference: 'SC_rgb_jpeg_dcmd.dcm', max: 3 },
  { file: 'SC_rgb_jpeg_lossy_gdcm.dcm', what: 'JPEG Baseline, a YCbCr stream labelled RGB', reference: 'SC_rgb_rle.dcm', max: 6 },
  { file: 'SC_rgb_gdcm_KY.dcm', what: 'JPEG 2000, RGB', reference: 'SC_rgb_rle.dcm', max: 6 },
];
/** Opened as it is: dcmtk cannot read it to copy it (an implicit VR data set behind JPEG Baseline). */
const AS_IS = 'SC_rgb_jpeg.dcm';

test.describe('transfer syntaxes', () => {
  let tsPage: Page;
  test.beforeAll(async ({ browser }) => {
    // A fixed canvas size, so twins are drawn on the same pixels.
    tsPage = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
    await openWithApiSession(tsPage, { api, password: me.password, orgShortName: me.orgShortName }, '/app/ansehen');
  });
  test.afterAll(async () => tsPage?.context().close());

  test('every transfer syntax is shown with the right pixels', async () => {
    const rendered = new Map<string, { luma: Luma; wl: { width: number; center: number } }>();
    const render = async (file: string) => {
      const hit = rendered.get(file);
      if (hit) return hit;
      await pick(tsPage, [file]);
      await waitForImage(tsPage);
      const pane = tsPage.getByTestId('viewport-0');
      await expect(pane.getByRole('alert')).toHaveCount(0);
      await expect(tsPage.getByTestId('local-summary')).toContainText('1 Serie');
      const r = { luma: await canvasLuma(tsPage), wl: await windowOf(tsPage) };
      rendered.set(file, r);
      return r;
    };
    for (const s of SYNTAXES) {
      await test.step(`${s.syntax} (${s.ts}): ${s.file}`, async () => {
        const shown = await render(s.file);
        let r: number;
        if (s.reference === 'node') {
          const { inside, expected } = expectedOnCanvas(decodeUncompressedGrey(s.file), shown.luma, shown.wl);
          r = correlation(inside.map((k) => shown.luma.values[k]), expected);
        } else {
          const ref = await render(s.reference);
          expect(ref.luma.width).toBe(shown.luma.width);
          // The image's part of the canvas: where either rendering is not background.
          const idx = shown.luma.values.map((_, k) => k).filter((k) => shown.luma.values[k] > 0 || ref.luma.values[k] > 0);
          r = correlation(idx.map((k) => shown.luma.values[k]), idx.map((k) => ref.luma.values[k]));
        }
        const st = stats(shown.luma.values);
        console.log(`${s.file} [${s.ts}] vs ${s.reference}: r=${r.toFixed(4)} mean=${st.mean.toFixed(1)} sd=${st.sd.toFixed(1)}`);
        expect.soft(st.sd, s.file).toBeGreaterThan(5);
        expect.soft(r, s.file).toBeGreaterThan(s.min);
      });
    }
  });

  // Both ways of drawing: on the CPU, as this browser without a GPU chooses
  // by itself, and with WebGL, as a browser with a GPU does (forced here).
  for (const rendering of ['cpu', 'gpu'] as const) {
    test(`colour images, drawn on the ${rendering.toUpperCase()}: every channel as dcmtk decodes it`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
      if (rendering === 'gpu') await context.addInitScript(() => window.localStorage.setItem('konsil.viewer.rendering', 'gpu'));
      const p = await context.newPage();
      try {
        await openWithApiSession(p, { api, password: me.password, orgShortName: me.orgShortName }, '/app/ansehen');
        // One viewer for all of them: each file a series of one study.
        const dir = colourStudy(COLOUR.map((c) => c.file).filter((f) => f !== AS_IS));
        await p.getByTestId('pick-files').setInputFiles([...fs.readdirSync(dir).map((f) => path.join(dir, f)), dicomFile(AS_IS)]);
        const viewer = p.getByTestId('study-viewer');
        await expect(viewer).toHaveAttribute('data-rendering', rendering);
        await expect(viewer.getByRole('button', { name: /^Serie .* anzeigen$/ })).toHaveCount(COLOUR.length);
        for (const c of COLOUR) {
          await test.step(`${c.what}: ${c.file}`, async () => {
            const name = c.file === AS_IS ? 'ohne Beschreibung' : c.file;
            await viewer.getByRole('button', { name: new RegExp(`^Serie .*${name.replace(/[.+]/g, '\\$&')} anzeigen$`) }).click();
            await expect(p.getByTestId('viewport-0').getByText(new RegExp(`^OT · Serie \\d+ · ${name.replace(/[.+]/g, '\\$&')}$`))).toBeVisible();
            await waitForImage(p);
            await expect(p.getByTestId('viewport-0').getByRole('alert')).toHaveCount(0);
            const ref = dcmtkRgb(c.reference ?? c.file);
            const step = Math.max(1, Math.ceil(Math.max(ref.rows, ref.columns) / 100));
            const shown = await sampleCanvas(p, ref.rows, ref.columns, step);
            const expected = sampleReference(ref, step, await windowOf(p));
            const diff = channelDifference(shown.rgb, expected);
            console.log(`${rendering} ${c.file} vs dcmtk ${c.reference ?? 'itself'}: |ΔR| ${diff[0].toFixed(1)} |ΔG| ${diff[1].toFixed(1)} |ΔB| ${diff[2].toFixed(1)} (colourfulness ${colourfulness(expected).toFixed(0)})`);
            for (const [k, channel] of ['R', 'G', 'B'].entries()) expect.soft(diff[k], `${c.file}: ${channel}`).toBeLessThanOrEqual(c.max);
          });
        }
      } finally {
        await context.close();
      }
    });
  }

  test('an image that cannot be decoded says so in words, with its transfer syntax', async () => {
    const files = undecodableFiles();
    for (const [file, syntax] of [
      [files.mpeg2, 'MPEG2 Main Profile (1.2.840.10008.1.2.4.100)'],
      [files.brokenJpeg, 'JPEG Baseline (1.2.840.10008.1.2.4.50)'],
    ]) {
      await tsPage.getByTestId('pick-files').setInputFiles(file);
      await waitForImage(tsPage);
      const alert = tsPage.getByTestId('viewport-0').getByRole('alert');
      await expect(alert).toHaveText(`Dieses Bild kann im Browser nicht dargestellt werden. Übertragungssyntax: ${syntax}. Öffnen Sie die Datei bitte in Ihrer Befundungssoftware.`);
    }
  });
});
