import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { getConfig } from '@/lib/core/config';
import * as schema from './schema';
import { acquireDataDirLock } from './lock';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

type Holder = { db?: Promise<Db>; close?: () => Promise<void> };
const g = globalThis as unknown as { __konsilDb?: Holder };
const holder: Holder = (g.__konsilDb ??= {});

export function migrationsFolder(): string {
  const candidates = [path.join(process.cwd(), 'drizzle'), path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle')];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'meta', '_journal.json'))) return c;
  throw new Error('Migrations folder "drizzle" not found');
}

export async function openPostgres(url: string, opts: { migrate: boolean; max?: number }): Promise<{ db: Db; close: () => Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: opts.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres(sql, { schema });
  if (opts.migrate) {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    // Several instances may start at once against one database.
    await sql`select pg_advisory_lock(727274)`;
    try {
      await migrate(db, { migrationsFolder: migrationsFolder() });
    } finally {
      await sql`select pg_advisory_unlock(727274)`;
    }
  }
  return { db, close: () => sql.end({ timeout: 5 }) };
}

export async function openPglite(dataDir: string | null, opts: { migrate: boolean }): Promise<{ db: Db; close: () => Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  // The directory search needs trigram indexes (lib/directory).
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  let release = () => {};
  let client;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = acquireDataDirLock(dataDir);
    client = new PGlite(path.join(dataDir, 'pgdata'), { extensions: { pg_trgm } });
  } else {
    client = new PGlite({ extensions: { pg_trgm } });
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  if (opts.migrate) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db as never, { migrationsFolder: migrationsFolder() });
  }
  return {
    db,
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** The process-wide database. Opened lazily, so `next build` never touches it. */
export function getDb(): Promise<Db> {
  if (!holder.db) {
    const cfg = getConfig();
    const opened = cfg.databaseUrl
      ? openPostgres(cfg.databaseUrl, { migrate: true })
      : openPglite(path.join(cfg.dataDir, 'db'), { migrate: true });
    holder.db = opened.then((o) => {
      holder.close = o.close;
      return o.db;
    });
    holder.db.catch(() => {
      holder.db = undefined;
    });
  }
  return holder.db;
}

export async function closeDb(): Promise<void> {
  const close = holder.close;
  holder.db = undefined;
  holder.close = undefined;
  if (close) await close();
}

export { schema };
