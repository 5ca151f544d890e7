// What the parts of the studies benchmark share: sizes, time-outs, the project root.
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const MiB = 2 ** 20;
/** Per-step time-out: generous, the machine has two cores shared with the server. */
export const T = 120_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}
