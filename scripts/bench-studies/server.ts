// The production server for the studies benchmark, started from a copy of
// the build: the run takes long enough that a `next build` started meanwhile
// in the working tree would replace .next under a running `next start`. The
// copy sits in a folder that links every other top-level entry of the
// project (node_modules, package.json, next.config, drizzle, …).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startApp, type AppServer } from '../lib/app-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function buildId(root: string): string | null {
  try {
    return fs.readFileSync(path.join(root, '.next', 'BUILD_ID'), 'utf8').trim();
  } catch {
    return null;
  }
}

/** A build is complete when BUILD_ID exists and no build holds .next/lock. */
const buildReady = (root: string) => buildId(root) !== null && !fs.existsSync(path.join(root, '.next', 'lock'));

/**
 * Builds once if there is no build, waits for one in progress, then copies
 * .next (without its cache) into `dir` beside links to the rest of the project.
 */
export async function snapshotBuild(root: string, dir: string): Promise<{ dir: string; buildId: string }> {
  if (!buildId(root) && !fs.existsSync(path.join(root, '.next', 'lock'))) {
    console.log('no production build: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  for (let waited = 0; !buildReady(root); waited += 5) {
    if (waited % 60 === 0) console.log('waiting for the `next build` in progress to finish …');
    if (waited > 1800) throw new Error('no complete production build in .next after 30 minutes');
    await sleep(5000);
  }
  for (;;) {
    const id = buildId(root)!;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const e of fs.readdirSync(root)) if (e !== '.next') fs.symlinkSync(path.join(root, e), path.join(dir, e));
    fs.cpSync(path.join(root, '.next'), path.join(dir, '.next'), { recursive: true, filter: (src) => !src.startsWith(path.join(root, '.next', 'cache')) });
    // A build that started during the copy: copy again once it is done.
    if (buildReady(root) && buildId(root) === id) return { dir, buildId: id };
    while (!buildReady(root)) await sleep(5000);
  }
}

/** `next start` in `dir` on 127.0.0.1:port, in its own process group; output appended to logFile. */
export function startSnapshot(opts: { dir: string; port: number; env: Record<string, string>; logFile: string }): Promise<AppServer> {
  return startApp({ ...opts, label: 'bench:studies' });
}
