// Part 2 of the studies benchmark: the app's range encryptor against raw
// WebCrypto AES-GCM in a worker of an app page, and what fresh memory costs there.
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import { STUDY_FILE_CHUNK } from '@/lib/protocol/studies';
import { MiB, ROOT } from './common';

export const CRYPTO_RUNS = 3;
export const CRYPTO_BYTES = 256 * MiB;

/** esbuild bundle of the app's crypto worker module (lib/client/studies/worker.ts), as one classic script. */
export async function throughputBundle(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(ROOT, 'scripts/bench-studies/throughput-entry.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'konsilThroughput',
    platform: 'browser',
    target: 'es2022',
    write: false,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export type Throughput = { ours: number; rawFile: number; rawMemory: number };

/** encryptThroughput as the app's worker answers it (op 'encryptThroughput'), in a fresh worker of an app page each run. */
export async function cryptoThroughput(page: Page, code: string): Promise<Throughput[]> {
  const runs: Throughput[] = [];
  for (let i = 0; i < CRYPTO_RUNS; i++) {
    runs.push(
      await page.evaluate(
        async ({ code, bytes, chunkSize }) => {
          const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
          const worker = new Worker(url);
          try {
            return await new Promise<{ ours: number; rawFile: number; rawMemory: number }>((resolve, reject) => {
              worker.onmessage = (e: MessageEvent<{ id: number; ok?: boolean; value?: { ours: number; rawFile: number; rawMemory: number }; error?: { message: string }; progress?: number }>) => {
                if (e.data.id !== 1 || e.data.progress !== undefined) return;
                if (e.data.ok) resolve(e.data.value!);
                else reject(new Error(e.data.error?.message));
              };
              worker.onerror = (e) => reject(new Error(e.message));
              worker.postMessage({ id: 1, op: 'encryptThroughput', bytes, chunkSize });
            });
          } finally {
            worker.terminate();
            URL.revokeObjectURL(url);
          }
        },
        { code, bytes: CRYPTO_BYTES, chunkSize: STUDY_FILE_CHUNK },
      ),
    );
  }
  return runs;
}

/** What fresh memory costs in this browser: 128 MiB copied into new 1 MiB buffers, and into one reused buffer (MB/s). */
export async function memoryProbe(page: Page): Promise<{ fresh: number; reused: number }> {
  return page.evaluate(() => {
    const MiB = 1048576;
    const N = 128 * MiB;
    const data = new Uint8Array(N).fill(7);
    const rate = (t: number) => N / 1e6 / ((performance.now() - t) / 1000);
    let t = performance.now();
    for (let o = 0; o < N; o += MiB) new Uint8Array(MiB).set(data.subarray(o, o + MiB));
    const fresh = rate(t);
    const reuse = new Uint8Array(MiB);
    t = performance.now();
    for (let o = 0; o < N; o += MiB) reuse.set(data.subarray(o, o + MiB));
    const reused = rate(t);
    return { fresh, reused };
  });
}
