// npm run bench:studies — what end-to-end encryption costs when studies are
// sent and viewed, measured in Chromium against the production server; writes
// the "Studies" section of docs/PERFORMANCE.md.
//
// Needs PostgreSQL on 127.0.0.1:5432 (trust auth, or KONSIL_TEST_PG) and the
// production build (built once here if .next has none; a build in progress is
// waited for). Starts its own `next start` from a copy of the build, on a free
// port, against a fresh database and a scratch data folder, and removes them
// afterwards. BENCH_STUDY_MIB makes the large study smaller to try the script;
// BENCH_PARTS=crypto,upload,viewer runs some parts only (printed, not written).
//
// 1. Upload: a 1 GiB study sent through "Studie senden" (checked, hashed,
//    encrypted range by range and uploaded with tus by the crypto worker)
//    against the same files uploaded unencrypted by tus-js-client from the
//    same page to the same endpoint, with the same chunk size and the same
//    four files at a time. Alternating, BENCH_UPLOAD_ROUNDS each (default 2).
//    Memory of the sending tab sampled every 250 ms.
// 2. Encryption in the browser: the app's worker module (bundled here with
//    esbuild) measures its range encryptor against raw WebCrypto AES-GCM.
// 3. Viewer: a CT series of 200 slices, sent encrypted and opened by the
//    recipient, against the same files opened from disk in "Dateien ansehen";
//    time to the first image and images per second while scrolling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { request as pwRequest, type APIRequestContext } from '@playwright/test';
import { anyFreePort, createDatabase, logProblems, machineInfo, median, writePerformanceSection, type AppServer } from './lib/app-server';
import { SenderChromium, launchChromium, newBenchContext, type BenchBrowser } from './bench-studies/browser';
import { MiB, ROOT } from './bench-studies/common';
import { makeCtSeries, makeLargeStudy } from './bench-studies/data';
import { CRYPTO_BYTES, CRYPTO_RUNS, cryptoThroughput, memoryProbe, throughputBundle } from './bench-studies/encryption';
import { snapshotBuild, startSnapshot } from './bench-studies/server';
import { register, sendEncrypted, sendPage, sendPlain, withMailbox, type UploadRun } from './bench-studies/upload';
import { SLICES, viewEncrypted, viewLocal, type ViewRun } from './bench-studies/viewer';
import { STUDY_FILE_CHUNK } from '@/lib/protocol/studies';

const UPLOAD_ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 2);
const VIEW_ROUNDS = Number(process.env.BENCH_VIEW_ROUNDS ?? 3);
/** Size of the large study; smaller only to try the script out (the goal is for 1 GiB). */
const STUDY_BYTES = Number(process.env.BENCH_STUDY_MIB ?? 1024) * MiB;
/** BENCH_PARTS=crypto,upload,viewer runs only those parts and prints them; docs/PERFORMANCE.md is written only by a whole run. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'crypto,upload,viewer').split(',').map((p) => p.trim()));
const WHOLE = ['crypto', 'upload', 'viewer'].every((p) => PARTS.has(p));
const GOAL = { upload: 0.8, memoryMB: 150, crypto: 0.8, firstImage: 1.5, scroll: 30 };

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const mb = (mib: number) => (mib * MiB) / 1e6;
/** Growth in MB, noise below zero shown as 0. */
const grow = (mib: number) => f0(Math.max(0, mb(mib)));

async function main() {
  const loadBefore = os.loadavg()[0]!;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-bench-studies-'));
  const dataDir = path.join(scratch, 'data');
  const logFile = path.join(scratch, 'server.log');
  const db = await createDatabase('konsil_bench_studies');
  process.env.DATABASE_URL = db.url;
  let app: AppServer | undefined;
  const browsers: BenchBrowser[] = [];
  let sender: SenderChromium | undefined;
  const apis: APIRequestContext[] = [];
  // The benchmark learns from the database when an upload is complete (the sender's tab is not watched meanwhile).
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  let ok = false;
  try {
    console.log(`database ${db.name}; scratch ${scratch}`);
    const t = performance.now();
    const large = PARTS.has('upload') ? makeLargeStudy(path.join(scratch, 'large'), 4, STUDY_BYTES) : { files: [], bytes: 0, dir: '' };
    const ct = PARTS.has('viewer') ? makeCtSeries(path.join(scratch, 'ct'), SLICES) : { files: [], bytes: 0, dir: '' };
    console.log(`studies written: ${large.files.length} files, ${large.bytes} bytes; CT ${ct.files.length} files, ${(ct.bytes / MiB).toFixed(1)} MiB (${((performance.now() - t) / 1000).toFixed(0)} s)`);

    const snapshot = await snapshotBuild(ROOT, path.join(scratch, 'app'));
    console.log(`production build ${snapshot.buildId}, copied to ${snapshot.dir}`);
    const port = await anyFreePort();
    app = await startSnapshot({
      dir: snapshot.dir,
      port,
      logFile,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        AUTH_SECRET: `bench-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`,
        APP_URL: `http://127.0.0.1:${port}`,
        KONSIL_DATA_DIR: dataDir,
        KONSIL_OUTBOX_INTERVAL_MS: '500',
        KONSIL_DEV_OUTBOX: 'on',
      },
    });
    const [apiA, apiB] = await Promise.all([0, 1].map(() => pwRequest.newContext({ baseURL: app!.url })));
    apis.push(apiA!, apiB!);
    const word = randomUUID().replace(/[^a-f]/g, '').slice(0, 6);
    const A = await register(apiA!, { plan: 'plus', prefix: 'absender', orgName: `Praxis Absender ${word}` });
    const B = await register(apiB!, { plan: 'plus', prefix: 'radiologie', orgName: `Radiologie Messung ${word}`, directoryVisible: true });

    // Sender and recipient in browsers of their own, so the sending tab's processes are the only ones in its browser.
    // The sender's browser is let go of by Playwright while an upload is measured (SenderChromium).
    const bA = await SenderChromium.launch(app.url);
    sender = bA;
    const bB = await launchChromium();
    browsers.push(bB);
    const version = bA.browser.version();
    const pageB = await (await newBenchContext(bB.browser, app.url)).newPage();
    const boxA = await withMailbox(bA.page, apiA!, A, bA.base);
    const boxB = await withMailbox(pageB, apiB!, B);
    await pageB.goto('about:blank');

    // 2. Encryption throughput in the browser.
    let throughput: Awaited<ReturnType<typeof cryptoThroughput>> = [];
    let probe = { fresh: NaN, reused: NaN };
    if (PARTS.has('crypto')) {
      console.log(`\nencryption in the browser (${CRYPTO_BYTES / MiB} MiB, ${CRYPTO_RUNS} runs)`);
      await sendPage(bA.page, A, bA.base);
      const code = await throughputBundle();
      throughput = await cryptoThroughput(bA.page, code);
      for (const [i, r] of throughput.entries()) console.log(`  #${i + 1}: ours ${f0(r.ours)} MB/s, raw AES-GCM reading the same Blob ${f0(r.rawFile)} MB/s (${f2(r.ours / r.rawFile)}×), raw AES-GCM in memory ${f0(r.rawMemory)} MB/s (${f2(r.ours / r.rawMemory)}×)`);
      probe = await memoryProbe(bA.page);
      console.log(`  copying into fresh 1 MiB buffers ${f0(probe.fresh)} MB/s, into a reused one ${f0(probe.reused)} MB/s`);
    }

    // 1. Upload, alternating.
    console.log(`\nupload of ${large.bytes} bytes (${large.files.length} files), ${UPLOAD_ROUNDS} rounds`);
    const enc: UploadRun[] = [];
    const plain: UploadRun[] = [];
    const show = (r: UploadRun) =>
      `  ${r.kind.padEnd(9)} upload ${f1(r.uploadMs / 1000)} s = ${f0(mbps(large.bytes, r.uploadMs))} MB/s; from the click ${f1(r.totalMs / 1000)} s (${f1(r.beforeUploadMs / 1000)} s before the first upload request); ${r.requests} requests; tab +${grow(r.memory.renderers)} MB RSS${r.memory.phases ? ` (hashing +${grow(r.memory.phases[0])}, uploading +${grow(r.memory.phases[1])})` : ''} (JS heap +${grow(r.memory.jsHeap)} MB), browser +${grow(r.memory.all)} MB`;
    for (let i = 0; PARTS.has('upload') && i < UPLOAD_ROUNDS; i++) {
      const e = await sendEncrypted(bA, sql, A, B, large, /1 Bild/);
      console.log(show(e));
      enc.push(e);
      const p = await sendPlain(bA, sql, { account: A, box: boxA }, { account: B, box: boxB }, large);
      console.log(show(p));
      plain.push(p);
      // The blobs of this round are not needed any more.
      fs.rmSync(path.join(dataDir, 'blobs', B.orgId, 'studies'), { recursive: true, force: true });
    }

    // 3. Viewer: the CT series sent once, encrypted, through the same page.
    if (!PARTS.has('viewer')) {
      ok = true;
      return;
    }
    console.log(`\nviewer: CT series of ${SLICES} slices`);
    const sentCt = await sendEncrypted(bA, sql, A, B, ct, new RegExp(`${SLICES} Bilder`));
    console.log(`  sent encrypted: ${(ct.bytes / MiB).toFixed(1)} MiB in ${f1(sentCt.totalMs / 1000)} s from the click`);
    await bA.page.goto('about:blank');
    const [row] = await sql<{ id: string }[]>`select id from studies where sender_org_id = ${A.orgId} and file_count = ${SLICES} and complete order by created_at desc limit 1`;
    const ctId = row!.id;
    const viewEnc: ViewRun[] = [];
    const viewLoc: ViewRun[] = [];
    const showView = (r: ViewRun, tag = '') =>
      `  ${r.kind.padEnd(9)} first image ${f0(r.firstMs)} ms; scrolling ${f1(r.perSecond)} images/s (${f1(r.scrollMs / 1000)} s for ${SLICES - 1} steps; per step, median: image set ${f1(r.step.image)} ms, rendered ${f1(r.step.rendered)} ms, overlay ${f1(r.step.overlay)} ms)${tag}`;
    // One round of each first, not counted: the viewer's code is then in the browser's cache for both.
    for (let i = 0; i <= VIEW_ROUNDS; i++) {
      const tag = i === 0 ? ' (warm-up)' : '';
      const e = await viewEncrypted(pageB, B, ctId);
      console.log(showView(e, tag));
      const l = await viewLocal(pageB, B, ct.dir);
      console.log(showView(l, tag));
      if (i > 0) {
        viewEnc.push(e);
        viewLoc.push(l);
      }
    }
    const loadAfter = os.loadavg()[0]!;
    if (!WHOLE) {
      console.log(`\nBENCH_PARTS=${[...PARTS].join(',')}: figures printed only; docs/PERFORMANCE.md is written by a whole run.`);
      ok = true;
      return;
    }

    // Figures.
    const med = <X>(xs: X[], f: (x: X) => number) => median(xs.map(f));
    const encUp = med(enc, (r) => mbps(large.bytes, r.uploadMs));
    const plainUp = med(plain, (r) => mbps(large.bytes, r.uploadMs));
    const encWhole = med(enc, (r) => mbps(large.bytes, r.totalMs));
    const encBefore = med(enc, (r) => r.beforeUploadMs);
    const memTab = med(enc, (r) => mb(r.memory.renderers));
    const memTabMax = Math.max(...enc.map((r) => mb(r.memory.renderers)));
    const memHeap = med(enc, (r) => mb(r.memory.jsHeap));
    const memAll = med(enc, (r) => mb(r.memory.all));
    const memPlainTab = med(plain, (r) => mb(r.memory.renderers));
    const ours = med(throughput, (r) => r.ours);
    const raw = med(throughput, (r) => r.rawMemory);
    const rawFile = med(throughput, (r) => r.rawFile);
    const firstEnc = med(viewEnc, (r) => r.firstMs);
    const firstLoc = med(viewLoc, (r) => r.firstMs);
    const scrollEnc = med(viewEnc, (r) => r.perSecond);
    const scrollLoc = med(viewLoc, (r) => r.perSecond);
    const ratioUp = encUp / plainUp;
    const ratioCrypto = ours / rawFile;
    const ratioMemory = ours / raw;
    const ratioFirst = firstEnc / firstLoc;
    const met = (ok: boolean) => (ok ? 'met' : '**missed**');

    const summary = [
      '| measure | encrypted | unencrypted | ratio | goal | |',
      '| --- | ---: | ---: | ---: | --- | --- |',
      `| upload of 1 GiB (first to last upload request) | ${f0(encUp)} MB/s | ${f0(plainUp)} MB/s | ${f2(ratioUp)}× | ≥ ${GOAL.upload}× | ${met(ratioUp >= GOAL.upload)} |`,
      `| sending 1 GiB from the click (with the SHA-256 of every file before the upload) | ${f0(encWhole)} MB/s | ${f0(plainUp)} MB/s | ${f2(encWhole / plainUp)}× | | |`,
      `| extra memory of the sending tab (renderer RSS, peak − baseline) | ${f0(memTab)} MB (max ${f0(memTabMax)} MB) | ${f0(Math.max(0, memPlainTab))} MB | | < ${GOAL.memoryMB} MB | ${met(memTabMax < GOAL.memoryMB)} |`,
      `| encryption in the browser's worker, ${CRYPTO_BYTES / MiB} MiB file (a Blob) | ${f0(ours)} MB/s | ${f0(rawFile)} MB/s (raw AES-GCM, reading the same Blob) | ${f2(ratioCrypto)}× | ≥ ${GOAL.crypto}× | ${met(ratioCrypto >= GOAL.crypto)} |`,
      `| the same, against AES-GCM alone on bytes already in memory | ${f0(ours)} MB/s | ${f0(raw)} MB/s | ${f2(ratioMemory)}× | | |`,
      `| viewer: first image of ${SLICES} CT slices | ${f0(firstEnc)} ms | ${f0(firstLoc)} ms (from disk) | ${f2(ratioFirst)}× | ≤ ${GOAL.firstImage}× | ${met(ratioFirst <= GOAL.firstImage)} |`,
      `| viewer: scrolling with ArrowDown | ${f1(scrollEnc)} images/s | ${f1(scrollLoc)} images/s (from disk) | | ≥ ${GOAL.scroll}/s each | ${met(scrollEnc >= GOAL.scroll && scrollLoc >= GOAL.scroll)} |`,
    ];
    const runsTable = [
      '| round | kind | upload | MB/s | from the click | before the first upload request | requests | tab RSS + (hashing / uploading) | JS heap + | whole browser + |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[...enc, ...plain]
        .map((r, k) => ({ r, round: (k % UPLOAD_ROUNDS) + 1 }))
        .map(({ r, round }) => `| ${round} | ${r.kind} | ${f1(r.uploadMs / 1000)} s | ${f0(mbps(large.bytes, r.uploadMs))} | ${f1(r.totalMs / 1000)} s | ${f1(r.beforeUploadMs / 1000)} s | ${r.requests} | ${grow(r.memory.renderers)} MB${r.memory.phases ? ` (${grow(r.memory.phases[0])} / ${grow(r.memory.phases[1])})` : ''} | ${grow(r.memory.jsHeap)} MB | ${grow(r.memory.all)} MB |`),
    ];
    const stepText = (r: ViewRun) => `${f0(r.step.image)} / ${f0(r.step.rendered)} / ${f0(r.step.overlay)} ms`;
    const viewTable = [
      '| round | encrypted: first image (set in the viewport) | from disk: first image (set) | encrypted: scrolling | from disk: scrolling | encrypted: per step¹ | from disk: per step¹ |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...viewEnc.map((e, k) => {
        const l = viewLoc[k]!;
        return `| ${k + 1} | ${f0(e.firstMs)} ms (${f0(e.firstImageSetMs)} ms) | ${f0(l.firstMs)} ms (${f0(l.firstImageSetMs)} ms) | ${f1(e.perSecond)}/s | ${f1(l.perSecond)}/s | ${stepText(e)} | ${stepText(l)} |`;
      }),
      '',
      '¹ median time from the key to the image set in the viewport (loaded and decoded; cornerstone\'s new-image event) / to its render event / to the overlay showing its number.',
    ];
    const hashMBps = mbps(large.bytes, encBefore);
    const phase = (k: 0 | 1) => med(enc, (r) => mb(r.memory.phases?.[k] ?? NaN));
    const stepEnc = { rendered: med(viewEnc, (r) => r.step.rendered), overlay: med(viewEnc, (r) => r.step.overlay), image: med(viewEnc, (r) => r.step.image) };
    const stepLoc = { rendered: med(viewLoc, (r) => r.step.rendered), overlay: med(viewLoc, (r) => r.step.overlay), image: med(viewLoc, (r) => r.step.image) };
    const reading = [
      '**Reading.**',
      '',
      `- Upload: the encrypted upload reaches ${f2(ratioUp)}× the unencrypted throughput — ${ratioUp >= GOAL.upload ? 'within' : 'short of'} the goal of ${GOAL.upload}×. The crypto worker itself uploads (\`lib/client/studies/worker-uploads.ts\`): tus asks it for each 8 MiB range, which it reads (consecutive ranges of a file through one reused buffer, \`lib/client/studies/blob-reads.ts\`), seals in chunks of 512 KiB (\`STUDY_FILE_CHUNK\`, files over 1 MiB; smaller ones are one chunk) and sends as a Blob built from the sealed chunks. The unencrypted upload hands a slice of the picked file to the request, which the browser's network service reads from disk itself. Both uploads use up the machine: per thread, sampled from \`/proc\` once a second in a run of this script (upload part only, 2026-12-07), the two cores were 170–195 % busy during either upload (measured before ranges were read into a reused buffer). Unencrypted (about 276 MB/s): the server ~84 %, the browser's IO threads ~49 %, its network thread pool ~14 %, the page ~10 % — about 6 ms of CPU per MB. Encrypted (about 126 MB/s): the crypto worker ~39 % (reading each range into memory, handing it to WebCrypto and taking the sealed chunks back, building the Blob: each a copy into fresh memory), the server ~57 %, the browser's IO threads ~42 % (the Blob's bytes go to the browser's blob store and from there to the network service), WebCrypto's threads ~16 %, the page ~9 % — about 14 ms of CPU per MB. On two cores shared by browser and server, the ratio is the ratio of CPU per MB, so 0.8× would need the encryption's whole extra work (reading the file into memory, AES-GCM, the Blob) to cost at most a quarter of what the unencrypted upload costs; reading 8 MiB pieces of a Blob alone ran at 593 MB/s in a worker here (1.7 ms per MB), AES-GCM at about 1100 MB/s. A typed array as the request body instead of a Blob (one reused buffer per file) skips the blob store: measured once (2026-12-08, two rounds of this part), 187–192 MB/s against 278–282 MB/s unencrypted (0.67–0.69×), but the tab grew by 251–336 MB (the request bodies' copies inside the browser), so the app keeps the Blob.`,
      `- Before the first byte is sent, the app computes the SHA-256 of every file (WebAssembly, \`hash-wasm\`, in the worker; the manifest carries it and a resumed upload checks it): ${f1(encBefore / 1000)} s for the study (${f0(hashMBps)} MB/s), so from the click the send runs at ${f0(encWhole)} MB/s, ${f2(encWhole / plainUp)}× the unencrypted upload.`,
      `- Memory: the sending tab grew by ${f0(memTab)} MB at its peak (median) — ${memTabMax < GOAL.memoryMB ? 'within' : 'over'} the goal of ${GOAL.memoryMB} MB; its JavaScript heap by ${f0(memHeap)} MB, so the growth is in array buffers. While hashing it grew by ${f0(phase(0))} MB: each file is read through one reused 4 MiB buffer (a byte-stream reader, \`lib/client/studies/blob-reads.ts\`). Read into a new buffer per piece, as before, the pieces are given back only at V8's next collection, which it times by how much outside memory was allocated since the last one, not by how much is still in use: the tab grew by 150–180 MB while hashing this study (in a stand-alone worker reading a 1 GiB file: 148–158 MB with pieces of 4 MiB, 147–150 MB with 1 MiB, 144–151 MB with 256 KiB; 6–10 MB through a byte-stream reader, which also hashed faster, 252–269 against 150–198 MB/s). A stream read that has not settled after 5 s is given up and the rest read in pieces: in Chromium 156 one such read once never settled. While uploading it grew by ${f0(phase(1))} MB: up to four files in flight, each with its reused plaintext buffer, its sealed chunks and the Blob being sent (with a new buffer for each range, 123–181 MB; sealing the next range ahead held one more range per file: about 30 MB more, no faster). Blobs live in the browser until every handle to them is collected: made in the worker and handed to the page, they waited for the page's rare collections and filled the browser's blob store until uploads stalled; made and sent in the worker, which its own buffers keep collecting, they go soon after they are sent. The whole browser (with the network service) grew by ${f0(memAll)} MB.`,
      `- Encryption: the worker's file encryption reaches ${f2(ratioCrypto)}× raw AES-GCM reading the same Blob — ${ratioCrypto >= GOAL.crypto ? 'within' : 'short of'} the goal of ${GOAL.crypto}× — and ${f2(ratioMemory)}× AES-GCM alone on bytes already in memory. Beyond what the raw loop does, it copies the sealed chunks into one Blob per request, as an upload does; it gains by reading a whole range at once, into a buffer it reuses, and handing all its chunks to WebCrypto together. Fresh memory is expensive on this machine (a virtual machine): copying into new 1 MiB buffers ran at ${f0(probe.fresh)} MB/s against ${f0(probe.reused)} MB/s into a reused one, and AES-GCM alone reached only ${f0(raw)} MB/s although the CPU has AES-NI.`,
      `- Viewer, first image: ${f2(ratioFirst)}× — ${ratioFirst <= GOAL.firstImage ? 'within' : 'over'} the goal of ${GOAL.firstImage}×. From disk the viewer first reads the header of each of the ${SLICES} files to sort them into series (image 1 set in the viewport after ${f0(med(viewLoc, (r) => r.firstImageSetMs))} ms); the encrypted study's files are known from its manifest, so only image 1 is downloaded and decrypted before it is shown (set after ${f0(med(viewEnc, (r) => r.firstImageSetMs))} ms).`,
      `- Viewer, scrolling: ${f1(scrollEnc)} images/s encrypted, ${f1(scrollLoc)} from disk — ${scrollEnc >= GOAL.scroll && scrollLoc >= GOAL.scroll ? 'both within' : 'short of'} the goal of ${GOAL.scroll}/s. Per step (median) the next image is in the viewport ${f1(stepEnc.image)} ms after the key encrypted and ${f1(stepLoc.image)} ms from disk (the viewer had already fetched it ahead), its render event follows at ${f0(stepEnc.rendered)} / ${f0(stepLoc.rendered)} ms and the overlay at ${f0(stepEnc.overlay)} / ${f0(stepLoc.overlay)} ms: the time goes to drawing and to the page's update after it, alike for both, not to downloading or decrypting. The browser has no GPU here (\`--disable-gpu\`), so all drawing is done in software, on two cores shared with the server.`,
    ];
    const machine = await machineInfo();
    const problems = logProblems(logFile);
    const body = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${version.startsWith('1') ? `Chromium ${version}` : version}, headless (\`--no-sandbox --disable-gpu\`); \`next start\` (production build) on PostgreSQL on the same machine, with the browsers. 1-minute load average ${f2(loadBefore)} before the run, ${f2(loadAfter)} after it${Math.max(loadBefore, loadAfter) > os.cpus().length ? ' — the machine was busy with other work during the run, which slows everything measured here and widens the spread between rounds' : ''}.`,
      '',
      ...summary,
      '',
      `**Upload.** The study: one real CT image (pydicom's \`CT_small.dcm\`) and four PDF attachments of random bytes, ${(large.bytes / MiB).toLocaleString('en')} MiB (${large.bytes.toLocaleString('en')} bytes) in all, picked as a folder. *Encrypted*: "Studie senden" as a user does it — pick, choose the recipient in the directory, "Verschlüsselt senden" — to "Die Studie ist vollständig im Postfach"; the app hashes every file (SHA-256, in its crypto worker), seals and signs the manifest, registers the study, then its crypto worker uploads with tus-js-client, encrypting each 8 MiB request's range (\`lib/client/studies/send.ts\`, \`worker-uploads.ts\`), four files at a time. *Unencrypted*: in the same tab, a study registered with the plaintext sizes and the same files uploaded by tus-js-client (same version, same endpoint \`/api/studies/uploads\`, same 8 MiB chunks, same four files at a time) from the page, straight from the picked files. Throughput is 1 GiB over the time from the first to the last upload request (both recorded the same way, on XMLHttpRequest — in the page and in its workers); "from the click" adds what the app does before it (hashing, registering). Both are measured with Playwright detached from the sender's browser (\`SenderChromium\` in \`scripts/bench-studies/browser.ts\`): the page is told to start in 2.5 s, Playwright lets go, the benchmark learns from the database when the study is complete and attaches again afterwards. While DevTools watches the network (Playwright always has it on), Chromium slows request bodies made in memory — in a stand-alone page four 8 MiB bodies at a time went at 13 MB/s as typed arrays and 125–139 MB/s as Blobs with Playwright attached, at 280–320 MB/s both without — so an attached measurement would not be what a user's browser does. Upload requests are recorded on XMLHttpRequest in the page and in its workers (the workers report to the page on a BroadcastChannel). Memory: the sender has a browser of its own; its renderer processes' RSS (the tab and its crypto worker; \`/proc\`), the page's JS heap (\`performance.memory\` with \`--enable-precise-memory-info\`; main thread only) and all the browser's processes, sampled every 250 ms; growth = peak during the send − median of the samples over 2.5 s before the start.`,
      '',
      ...runsTable,
      '',
      `**Encryption.** The app's crypto worker module (\`lib/client/studies/worker.ts\`, bundled with esbuild) in a fresh Web Worker of an app page, asked \`encryptThroughput\` as the app asks it: ${CRYPTO_BYTES / MiB} MiB of random bytes in a Blob, encrypted by the worker's \`FileEncryptors\` as an upload asks for it (KSF1 in chunks of ${STUDY_FILE_CHUNK / 1024} KiB, ranges of 8 MiB one after the other, each range's Blob built), against raw WebCrypto AES-GCM over the same bytes in calls of ${STUDY_FILE_CHUNK / 1024} KiB: once reading each piece from the same Blob and encrypting it (the straightforward loop over a file — the goal's comparison, since a file has to be read either way), once over the bytes already in memory (AES-GCM alone). Runs (ours / raw from the Blob / raw in memory): ${throughput.map((r) => `${f0(r.ours)} / ${f0(r.rawFile)} / ${f0(r.rawMemory)} MB/s`).join('; ')}; medians in the table. The same tab copied 128 MiB into new 1 MiB buffers at ${f0(probe.fresh)} MB/s and into one reused buffer at ${f0(probe.reused)} MB/s.`,
      '',
      `**Viewer.** A CT series synthesised with dcmjs: ${SLICES} slices of 512 × 512, 16 bit, explicit VR little endian, one file each (${(ct.bytes / MiB).toFixed(0)} MiB), a thorax-like phantom with noise. *Encrypted*: sent through "Studie senden", opened by the recipient on \`/app/studien/<id>\` (study key unsealed, signature checked), then timed from the click on "Ansehen" until image 1 is rendered (cornerstone's render event), the overlay reads "Bild 1 / ${SLICES}" and the canvas shows it — each image fetched from the server and decrypted in the tab. *From disk*: the same ${SLICES} files picked as a folder in "Dateien ansehen" (\`/app/ansehen\`), timed from the input's change event — read from the local disk, not from the server, so it has neither download nor decryption. Scrolling: starting a second after the first image, ArrowDown on the focused viewport (a keydown event dispatched in the page) ${SLICES - 1} times, each time waiting until the next image is rendered and the overlay shows its number. A fresh page load for every run; ${VIEW_ROUNDS} rounds, alternating, after one round of each that is not counted; medians in the table.`,
      '',
      ...viewTable,
      '',
      ...reading,
      '',
      `Server log during the run: ${problems.length ? `${problems.length} lines with errors or warnings, e.g. \`${problems[0]!.slice(0, 200)}\`` : 'no errors or warnings'}.`,
    ].join('\n');
    const file = writePerformanceSection('## Studies (`npm run bench:studies`)', body);
    console.log(`\n${summary.join('\n')}\n\n${runsTable.join('\n')}\n\n${viewTable.join('\n')}`);
    console.log(`\nwritten to ${file}`);
    ok = true;
  } finally {
    for (const b of browsers) await b.browser.close().catch(() => undefined);
    await sender?.close();
    await sql?.end().catch(() => undefined);
    for (const a of apis) await a.dispose().catch(() => undefined);
    await app?.stop();
    await db.drop().catch((e) => console.error(`could not drop ${db.name}:`, e));
    if (ok || !process.env.BENCH_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
    else console.log(`kept ${scratch} (server log: ${logFile})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
