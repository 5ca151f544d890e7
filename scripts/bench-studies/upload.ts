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
import { marks, resetUploads, sampleMemory, uploads, type BenchBrowser, type MemorySample } from './browser';
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

/** An admin's browser creates the organisation's first mailbox on /app. */
export async function withMailbox(page: Page, api: APIRequestContext, who: Account): Promise<Mailbox> {
  await openWithApiSession(page, { api, password: who.password, orgShortName: who.orgShortName }, '/app');
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

export async function sendPage(page: Page, who: Account) {
  await reloadAndUnlock(page, who.password, '/app/studien/senden');
  await expect(page.getByTestId('month-quota')).toBeVisible({ timeout: T });
}

/** Baseline samples, then `run`; memory sampled throughout. `split` (the page's performance.now()) divides the run in two phases. */
async function measured<R>(b: BenchBrowser, page: Page, run: () => Promise<R>, split?: () => Promise<number | null>): Promise<{ result: R; memory: Memory }> {
  const cdp = await page.context().newCDPSession(page);
  // A collection first, so the baseline is not a heap about to shrink.
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  await sleep(1000);
  const sampler = await sampleMemory(b, cdp);
  await sleep(1500);
  const from = Date.now();
  try {
    const result = await run();
    const samples = await sampler.stop();
    const at = split ? await split() : null;
    const origin = await page.evaluate(() => performance.timeOrigin);
    return { result, memory: memoryGrowth(samples, from, at === null ? undefined : origin + at) };
  } finally {
    await sampler.stop();
    await cdp.detach().catch(() => undefined);
  }
}

/** "Studie senden" as a user does it: pick the folder, choose the recipient, send, wait for "vollständig im Postfach". */
export async function sendEncrypted(b: BenchBrowser, page: Page, who: Account, to: Account, study: BenchStudy, countsText: RegExp): Promise<UploadRun> {
  await sendPage(page, who);
  await page.getByTestId('pick-folder').setInputFiles(study.dir);
  await expect(page.getByTestId('summary-counts')).toContainText(countsText, { timeout: T });
  await page.getByLabel('Empfänger im Verzeichnis suchen').fill(to.orgName);
  await page.getByRole('button', { name: `An ${to.orgName} – Postfach Hauptpostfach senden` }).click({ timeout: T });
  await expect(page.getByTestId('recipient-chosen')).toBeVisible();
  await resetUploads(page);
  const { memory } = await measured(
    b,
    page,
    async () => {
      await page.getByRole('button', { name: 'Verschlüsselt senden' }).click();
      await expect(page.getByText('Die Studie ist vollständig im Postfach')).toBeVisible({ timeout: T_UPLOAD });
    },
    async () => (await uploads(page)).first,
  );
  const m = await marks(page);
  const u = await uploads(page);
  const click = m['click:Verschlüsselt senden']!;
  return { kind: 'encrypted', totalMs: u.last! - click, uploadMs: u.last! - u.first!, beforeUploadMs: u.first! - click, requests: u.requests, memory };
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

/** The same files, unencrypted: registered with fetch, uploaded by tus-js-client from the same page, as send.ts does but without the encrypting file reader. */
export async function sendPlain(b: BenchBrowser, page: Page, who: { account: Account; box: Mailbox }, to: { account: Account; box: Mailbox }, study: BenchStudy): Promise<UploadRun> {
  await sendPage(page, who.account);
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
  await resetUploads(page);
  const { result, memory } = await measured(b, page, () =>
    withTimeout(
      page.evaluate(
        async ({ reg, chunkSize, parallel }) => {
          type TusUpload = { start(): void };
          type Tus = { Upload: new (file: Blob, opts: Record<string, unknown>) => TusUpload };
          const tus = (window as unknown as { tus: Tus }).tus;
          const t0 = performance.now();
          const res = await fetch('/api/studies', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reg.body), credentials: 'same-origin' });
          if (!res.ok) throw new Error(`POST /api/studies: ${res.status} ${await res.text()}`);
          const input = document.getElementById('bench-files') as HTMLInputElement;
          const queue = [...input.files!].map((file) => ({ file, fileId: reg.ids[file.webkitRelativePath]! }));
          const one = ({ file, fileId }: { file: File; fileId: string }) =>
            new Promise<void>((resolve, reject) => {
              new tus.Upload(file, {
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
          return { t0 };
        },
        { reg, chunkSize: TUS_CHUNK, parallel: PARALLEL },
      ),
      T_UPLOAD,
      'unencrypted upload',
    ),
  );
  const u = await uploads(page);
  return { kind: 'plain', totalMs: u.last! - result.t0, uploadMs: u.last! - u.first!, beforeUploadMs: u.first! - result.t0, requests: u.requests, memory };
}
