// Part 1 of the studies benchmark: a study sent encrypted through "Studie
// senden" against the same files uploaded unencrypted from the same tab, with
// the memory of the sending tab sampled throughout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { generateEd25519 } from '@/lib/crypto/asymmetric';
import { newStudyKey, sealManifest, sealStudyKey, signStudy, type StudyManifest } from '@/lib/protocol/studies';
import { openWithApiSession, reloadAndUnlock } from '../../e2e/fixtures/browser-device';
import { median } from '../lib/app-server';
import postgres from 'postgres';
import { marks, resetUploads, sampleMemory, uploads, type MemorySample, type SenderChromium } from './browser';
import { ROOT, T, sleep, withTimeout } from './common';
import type { BenchStudy } from './data';
import { TUS_CHUNK } from '@/lib/client/studies/worker-uploads';

/** Files uploaded at the same time, as in lib/client/studies/send.ts; bytes per request are the app's own. */
const PARALLEL = 4;
const T_UPLOAD = 30 * 60_000;

export type Account = Awaited<ReturnType<typeof import('../../e2e/fixtures/api-account').registerViaApi>>;

/** An organisation registered through the API; the fixture's canary bookkeeping goes to a scratch folder, not artifacts/. */
export async function register(request: APIRequestContext, opts: Parameters<typeof import('../../e2e/fixtures/api-account').registerViaApi>[1]): Promise<Account> {
  const cwd = process.cwd();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-bench-'));
  process.chdir(scratch);
  try {
    const mod = await import('../../e2e/fixtures/api-account');
    return await mod.registerViaApi(request, opts);
  } finally {
    process.chdir(cwd);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export type Mailbox = { id: string; name: string; keyVersion: number; keys: { version: number; publicKey: string }[] };

export async function mailboxes(api: APIRequestContext): Promise<Mailbox[]> {
  const res = await api.get('/api/mailboxes');
  // While the tab is still unlocking (423) there are none to see yet.
  if (res.status() === 423) return [];
  if (!res.ok()) throw new Error(`GET /api/mailboxes: ${res.status()} ${await res.text()}`);
  return (await res.json()).mailboxes;
}

/** An admin's browser creates the organisation's first mailbox on /app. `base`: the app's URL for a page without a base URL. */
export async function withMailbox(page: Page, api: APIRequestContext, who: Account, base = ''): Promise<Mailbox> {
  await openWithApiSession(page, { api, password: who.password, orgShortName: who.orgShortName }, `${base}/app`);
  await expect.poll(async () => (await mailboxes(api)).length, { timeout: T }).toBeGreaterThan(0);
  return (await mailboxes(api))[0]!;
}

export type Memory = {
  renderers: number;
  all: number;
  jsHeap: number;
  /** The tab's growth before and after `split` (for a send: hashing, then uploading). */
  phases: [number, number] | null;
};

/** Peak minus baseline (median of the samples before `from`); optionally the tab's peak before and after `split` too. */
function memoryGrowth(samples: MemorySample[], from: number, split?: number): Memory {
  const before = samples.filter((s) => s.t < from);
  const after = samples.filter((s) => s.t >= from);
  const base = (k: 'renderers' | 'all' | 'jsHeap') => median(before.map((s) => s[k]));
  const peak = (k: 'renderers' | 'all' | 'jsHeap', xs = after) => Math.max(...xs.map((s) => s[k]));
  const tab = base('renderers');
  const phases: [number, number] | null =
    split === undefined ? null : [peak('renderers', after.filter((s) => s.t < split)) - tab, peak('renderers', after.filter((s) => s.t >= split)) - tab];
  return { renderers: peak('renderers') - tab, all: peak('all') - base('all'), jsHeap: peak('jsHeap') - base('jsHeap'), phases };
}

export type UploadRun = { kind: 'encrypted' | 'plain'; totalMs: number; uploadMs: number; beforeUploadMs: number; requests: number; memory: Memory };

export async function sendPage(page: Page, who: Account, base = '') {
  await reloadAndUnlock(page, who.password, `${base}/app/studien/senden`);
  await expect(page.getByTestId('month-quota')).toBeVisible({ timeout: T });
}

/** Heap samples the page takes itself while Playwright is away (performance.memory; exact with --enable-precise-memory-info). */
type HeapSample = { t: number; heap: number };

/**
 * Measures one send with Playwright detached (see SenderChromium): the page is told to run `start` in 2.5 s and
 * to sample its own JS heap; Playwright lets go; /proc is sampled here while the database is asked every 250 ms
 * whether the sender has one more complete study than before; then Playwright attaches again. Baseline: the
 * samples of the 2.5 s before the start (after a garbage collection).
 */
async function detached(b: SenderChromium, sql: postgres.Sql, senderOrgId: string, start: () => void): Promise<{ page: Page; from: number; samples: MemorySample[] }> {
  const complete = async () => (await sql<{ n: number }[]>`select count(*)::int as n from studies where sender_org_id = ${senderOrgId} and complete`)[0]!.n;
  const before = await complete();
  const cdp = await b.page.context().newCDPSession(b.page);
  // A collection first, so the baseline is not a heap about to shrink.
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  await cdp.detach().catch(() => undefined);
  await sleep(1000);
  const from = await b.page.evaluate(
    ({ delay, run }) => {
      const w = window as unknown as { __heap: { t: number; heap: number }[] };
      w.__heap = [];
      const memory = () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
      const sample = () => w.__heap.push({ t: Date.now(), heap: memory() / 2 ** 20 });
      sample();
      setInterval(sample, 250);
      setTimeout(new Function(`(${run})()`) as () => void, delay);
      return Date.now() + delay;
    },
    { delay: 2500, run: start.toString() },
  );
  await b.detach();
  const sampler = await sampleMemory(b);
  try {
    const deadline = Date.now() + T_UPLOAD;
    while ((await complete()) <= before) {
      if (Date.now() > deadline) throw new Error('the upload did not complete');
      await sleep(250);
    }
    await sleep(1000);
  } finally {
    await sampler.stop();
    await b.attach();
  }
  const heap = await b.page.evaluate(() => (window as unknown as { __heap: HeapSample[] }).__heap);
  // The page's own heap samples, each taken into the /proc sample nearest in time.
  const samples = sampler.samples.map((s) => {
    const near = heap.reduce((best, h) => (Math.abs(h.t - s.t) < Math.abs(best.t - s.t) ? h : best), heap[0]!);
    return { ...s, jsHeap: near.heap };
  });
  return { page: b.page, from, samples };
}

/** "Studie senden" as a user does it: pick the folder, choose the recipient, send (Playwright detached), until "vollständig im Postfach". */
export async function sendEncrypted(b: SenderChromium, sql: postgres.Sql, who: Account, to: Account, study: BenchStudy, countsText: RegExp): Promise<UploadRun> {
  let page = b.page;
  await sendPage(page, who, b.base);
  await page.getByTestId('pick-folder').setInputFiles(study.dir);
  await expect(page.getByTestId('summary-counts')).toContainText(countsText, { timeout: T });
  await page.getByLabel('Empfänger im Verzeichnis suchen').fill(to.orgName);
  await page.getByRole('button', { name: `An ${to.orgName} – Postfach Hauptpostfach senden` }).click({ timeout: T });
  await expect(page.getByTestId('recipient-chosen')).toBeVisible();
  await workersHooked(page);
  await resetUploads(page);
  const run = await detached(b, sql, who.orgId, () => {
    const button = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Verschlüsselt senden');
    button!.click();
  });
  page = run.page;
  await expect(page.getByText('Die Studie ist vollständig im Postfach')).toBeVisible({ timeout: T });
  const m = await marks(page);
  const u = await uploads(page);
  const origin = await page.evaluate(() => performance.timeOrigin);
  const memory = memoryGrowth(run.samples, run.from, origin + u.first!);
  const click = m['click:Verschlüsselt senden']!;
  return { kind: 'encrypted', totalMs: u.last! - click, uploadMs: u.last! - u.first!, beforeUploadMs: u.first! - click, requests: u.requests, memory };
}

/** Waits until the page's workers (the crypto worker exists once files are picked) record upload requests. */
async function workersHooked(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const hooked = await Promise.all(page.workers().map((w) => w.evaluate(() => '__uploads' in globalThis).catch(() => false)));
      return hooked.length > 0 && hooked.every(Boolean);
    }, { timeout: T })
    .toBe(true);
}

/** A study registered with the plaintext sizes (well-formed sealed values; the server checks shapes only), for the unencrypted upload. */
function plainRegistration(study: BenchStudy, from: { account: Account; box: Mailbox }, to: { account: Account; box: Mailbox }) {
  const studyId = randomUUID();
  const key = newStudyKey();
  const files = study.files.map((f) => ({ rel: f.rel, fileId: randomUUID(), size: f.size }));
  const manifest: StudyManifest = {
    v: 1,
    studyId,
    message: '',
    patient: { name: '', id: '', birthDate: '', sex: '' },
    study: { studyInstanceUid: '', date: '', description: 'Vergleich ohne Verschlüsselung', modalities: [] },
    series: [],
    files: files.map((f) => ({ fileId: f.fileId, path: f.rel, size: f.size, sha256: '0'.repeat(64), kind: 'pdf' as const })),
  };
  const pub = (b: Mailbox) => b.keys.find((k) => k.version === b.keyVersion)!.publicKey;
  const recipient = { orgId: to.account.orgId, mailboxId: to.box.id, version: to.box.keyVersion };
  const manifestEnc = sealManifest(key, recipient.orgId, manifest);
  const keyForRecipient = sealStudyKey(key, studyId, { ...recipient, publicKey: pub(to.box) });
  const keyForSender = sealStudyKey(key, studyId, { orgId: from.account.orgId, mailboxId: from.box.id, version: from.box.keyVersion, publicKey: pub(from.box) });
  const signature = signStudy(generateEd25519().privateKey, {
    studyId,
    sender: { orgId: from.account.orgId, userId: from.account.userId, mailboxId: from.box.id },
    recipient,
    manifestEnc,
    keyForRecipient,
    keyForSender,
    files: files.length,
  });
  return {
    studyId,
    recipientOrgId: recipient.orgId,
    ids: Object.fromEntries(files.map((f) => [f.rel, f.fileId])),
    body: { id: studyId, sender: { mailboxId: from.box.id, version: from.box.keyVersion }, recipient, manifestEnc, keyForRecipient, keyForSender, signature, files: files.map((f) => ({ fileId: f.fileId, bytes: f.size })) },
  };
}

/** The same files, unencrypted: registered with fetch, uploaded by tus-js-client from the same page (Playwright detached), as send.ts does but without encryption. */
export async function sendPlain(b: SenderChromium, sql: postgres.Sql, who: { account: Account; box: Mailbox }, to: { account: Account; box: Mailbox }, study: BenchStudy): Promise<UploadRun> {
  let page = b.page;
  await sendPage(page, who.account, b.base);
  await page.addScriptTag({ path: path.join(ROOT, 'node_modules/tus-js-client/dist/tus.min.js') });
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.webkitdirectory = true;
    input.hidden = true;
    input.id = 'bench-files';
    document.body.append(input);
  });
  await page.locator('#bench-files').setInputFiles(study.dir);
  const reg = plainRegistration(study, who, to);
  await page.evaluate(
    ({ reg, chunkSize, parallel }) => {
      type TusUpload = { start(): void };
      type Tus = { Upload: new (file: Blob, opts: Record<string, unknown>) => TusUpload };
      const w = window as unknown as { tus: Tus; __benchPlain: () => Promise<void>; __plainResult?: { t0: number } | { error: string } };
      w.__benchPlain = async () => {
        const t0 = performance.now();
        try {
          const res = await fetch('/api/studies', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reg.body), credentials: 'same-origin' });
          if (!res.ok) throw new Error(`POST /api/studies: ${res.status} ${await res.text()}`);
          const input = document.getElementById('bench-files') as HTMLInputElement;
          const queue = [...input.files!].map((file) => ({ file, fileId: reg.ids[file.webkitRelativePath]! }));
          const one = ({ file, fileId }: { file: File; fileId: string }) =>
            new Promise<void>((resolve, reject) => {
              new w.tus.Upload(file, {
                endpoint: '/api/studies/uploads',
                uploadUrl: `/api/studies/uploads/${reg.recipientOrgId}.${reg.studyId}.${fileId}`,
                metadata: { studyId: reg.studyId, fileId },
                uploadSize: file.size,
                chunkSize,
                retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
                storeFingerprintForResuming: false,
                onSuccess: () => resolve(),
                onError: (e: Error) => reject(e),
              }).start();
            });
          const lane = async () => {
            for (let x = queue.shift(); x; x = queue.shift()) await one(x);
          };
          await Promise.all(Array.from({ length: parallel }, lane));
          w.__plainResult = { t0 };
        } catch (e) {
          w.__plainResult = { error: String(e) };
        }
      };
    },
    { reg, chunkSize: TUS_CHUNK, parallel: PARALLEL },
  );
  await resetUploads(page);
  const run = await detached(b, sql, who.account.orgId, () => void (window as unknown as { __benchPlain: () => Promise<void> }).__benchPlain());
  page = run.page;
  const result = await withTimeout(
    (async () => {
      for (;;) {
        const r = await page.evaluate(() => (window as unknown as { __plainResult?: { t0: number } | { error: string } }).__plainResult);
        if (r && 'error' in r) throw new Error(`unencrypted upload: ${r.error}`);
        if (r) return r;
        await sleep(250);
      }
    })(),
    T,
    'unencrypted upload',
  );
  const u = await uploads(page);
  const memory = memoryGrowth(run.samples, run.from);
  return { kind: 'plain', totalMs: u.last! - result.t0, uploadMs: u.last! - u.first!, beforeUploadMs: u.first! - result.t0, requests: u.requests, memory };
}
