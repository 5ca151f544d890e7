// An organisation registered and signed in through the public API, for the
// benchmarks. Reuses the e2e fixture (same key hierarchy as the browser), but
// keeps its canary bookkeeping out of the test suite's artifacts/ folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';

type Fixture = typeof import('../../e2e/fixtures/api-account');

/** With the fixture's options (plan, prefix, organisation name…), e.g. a "plus" organisation for conferences. */
export async function registerOrgViaApi(request: APIRequestContext, opts?: Parameters<Fixture['registerViaApi']>[1]) {
  const cwd = process.cwd();
  // e2e/fixtures/canaries.ts resolves artifacts/canaries.json against the working directory when it is loaded.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-bench-'));
  process.chdir(scratch);
  let mod: Fixture;
  try {
    mod = await import('../../e2e/fixtures/api-account');
  } finally {
    process.chdir(cwd);
  }
  try {
    return await mod.registerViaApi(request, opts);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

