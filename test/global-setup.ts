// Runs once per `vitest run`, in the main process, before any worker starts.
//
// Integration tests (test/integration) run every suite against PostgreSQL and
// PGlite. For PostgreSQL they use DATABASE_URL when it is set (CI points it at
// a fresh database); otherwise a throw-away database is created here on the
// local server and dropped again in the teardown. Only local hosts are
// accepted, so a stray DATABASE_URL can never point the tests at a real
// deployment.
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL database for integration tests, or null if none could be prepared. */
    konsilPgUrl: string | null;
    /** Why no database could be prepared (shown by the PostgreSQL suites instead of skipping silently). */
    konsilPgError: string | null;
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_AUTH_SECRET = 'konsil-integration-test-secret-0123456789abcdefg';

export function assertLocalPostgresUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('Integration tests: DATABASE_URL is not a valid URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`Integration tests: unsupported database URL scheme ${u.protocol}`);
  }
  if (!LOCAL_HOSTS.has(u.hostname)) {
    throw new Error(`Integration tests refuse to run against non-local database host "${u.hostname}" (allowed: 127.0.0.1, localhost, ::1)`);
  }
  return u;
}

export default async function setup(project: TestProject) {
  // Set first so every worker (they are started after this) inherits them.
  process.env.KONSIL_OUTBOX_WORKER = 'off';
  process.env.AUTH_SECRET = TEST_AUTH_SECRET;

  // Unit tests need no database, so nothing here throws: a refused or
  // unreachable database is handed on as an error, and the PostgreSQL
  // integration suites fail with it (they never fall back or skip).
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    try {
      assertLocalPostgresUrl(fromEnv);
      project.provide('konsilPgUrl', fromEnv);
      project.provide('konsilPgError', null);
    } catch (e) {
      project.provide('konsilPgUrl', null);
      project.provide('konsilPgError', (e as Error).message);
    }
    return;
  }

  const adminUrl = process.env.KONSIL_IT_PG_ADMIN_URL || DEFAULT_ADMIN_URL;
  let admin: URL;
  try {
    admin = assertLocalPostgresUrl(adminUrl);
  } catch (e) {
    project.provide('konsilPgUrl', null);
    project.provide('konsilPgError', (e as Error).message);
    return;
  }
  const name = `konsil_it_${Date.now()}_${process.pid}`;
  const { default: postgres } = await import('postgres');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql.unsafe(`create database "${name}"`);
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const msg = `could not create a test database on ${admin.host} (${e instanceof Error ? e.message : String(e)}); set DATABASE_URL or KONSIL_IT_PG_ADMIN_URL`;
    project.provide('konsilPgUrl', null);
    project.provide('konsilPgError', msg);
    return;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  project.provide('konsilPgUrl', url.toString());
  project.provide('konsilPgError', null);

  return async () => {
    try {
      if (process.env.KONSIL_IT_KEEP_DB === '1') {
        console.log(`[integration] kept test database ${name}`);
        return;
      }
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
}
