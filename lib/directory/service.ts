import 'server-only';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { directoryTerms, mailboxes, mailboxKeys, organisations, partnerPins, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { now } from '@/lib/core/clock';
import type { SessionContext } from '@/lib/auth/sessions';
import { directoryWords, queryWords } from './search-text';
import type { TDirectoryVisibility, TPartnerPin } from './schemas';

/** Results per query: enough to pick from. */
const RESULTS = 20;
/**
 * Entries ranked per query. A common word ("Praxis", a big city) matches tens
 * of thousands of entries; ranking all of them would cost more than a keystroke
 * may, so the best are picked from the first candidates the index yields.
 */
const CANDIDATES = 300;
/** Dictionary words a query word may stand for (its prefixes and near spellings). */
const EXPANSIONS = 40;
/** Trigram similarity of a near spelling: looser when nothing starts with the word as typed. */
const NEAR = { withDirect: 0.5, alone: 0.3 };

const o = organisations;
const entryColumns = {
  id: o.id,
  name: o.name,
  orgType: o.orgType,
  specialty: o.specialty,
  street: o.street,
  houseNumber: o.houseNumber,
  plz: o.plz,
  city: o.city,
  phone: o.phone,
  email: o.email,
  publicKey: o.publicKey,
  signPublic: o.signPublic,
};

export type TDirectoryEntry = {
  id: string;
  name: string;
  orgType: string;
  specialty: string | null;
  street: string;
  houseNumber: string;
  plz: string;
  city: string;
  phone: string;
  email: string;
  publicKey: string;
  signPublic: string | null;
  /** Each mailbox with its current key and the organisation's certificate of it (lib/protocol/mailboxes.ts). */
  mailboxes: TListedMailbox[];
};

export type TListedMailbox = { id: string; name: string; isMain: boolean; version: number; publicKey: string; cert: string };

type EntryRow = Omit<TDirectoryEntry, 'mailboxes'>;

/** The entries with what partners see of their mailboxes: name and current certified key. */
async function withMailboxes(db: DbOrTx, rows: EntryRow[]): Promise<TDirectoryEntry[]> {
  if (!rows.length) return [];
  const boxes = await db
    .select({ orgId: mailboxes.orgId, id: mailboxes.id, name: mailboxes.name, isMain: mailboxes.isMain, version: mailboxKeys.version, publicKey: mailboxKeys.publicKey, cert: mailboxKeys.cert })
    .from(mailboxes)
    .innerJoin(mailboxKeys, and(eq(mailboxKeys.mailboxId, mailboxes.id), eq(mailboxKeys.version, mailboxes.keyVersion)))
    .where(inArray(mailboxes.orgId, rows.map((r) => r.id)))
    .orderBy(desc(mailboxes.isMain), asc(mailboxes.name));
  return rows.map((r) => ({ ...r, mailboxes: boxes.filter((b) => b.orgId === r.id).map(({ orgId: _orgId, ...b }) => b) }));
}

type Expansion = { term: string; weight: number }[];

/**
 * The dictionary words a query word stands for: itself (weight 1), words it
 * begins (0.9, as you type), and near spellings (their trigram similarity).
 * A postcode is matched by its beginning only.
 */
async function expand(tx: DbOrTx, w: string): Promise<Expansion> {
  const t = directoryTerms.term;
  const prefix = sql`${t} like ${`${w}%`}`;
  const numeric = /^\d+$/.test(w);
  const rows = await tx
    .select({ term: t, sim: sql<number>`similarity(${t}, ${w})`, direct: sql<boolean>`${prefix}` })
    .from(directoryTerms)
    .where(numeric ? prefix : sql`(${prefix} or ${t} % ${w})`)
    .orderBy(desc(sql`${t} = ${w}`), desc(prefix), desc(sql`similarity(${t}, ${w})`), asc(t))
    .limit(numeric ? EXPANSIONS * 3 : EXPANSIONS);
  const hasDirect = rows.some((r) => r.direct);
  const near = hasDirect ? NEAR.withDirect : NEAR.alone;
  return rows.filter((r) => r.direct || r.sim >= near).map((r) => ({ term: r.term, weight: r.term === w ? 1 : r.direct ? 0.9 : Number(r.sim) }));
}

/** The closest readings first: exact and prefix words, or else the nearest spellings. */
function closest(e: Expansion): Expansion {
  const best = Math.max(...e.map((x) => x.weight));
  return e.filter((x) => x.weight >= Math.min(0.9, best - 0.1));
}

const textArray = (xs: string[]) => sql`array[${sql.join(
  xs.map((x) => sql`${x}`),
  sql`, `,
)}]::text[]`;

async function matchEntries(tx: DbOrTx, expansions: Expansion[], exclude: Set<string>): Promise<TDirectoryEntry[]> {
  const candidates = tx
    .select({ ...entryColumns, words: o.directoryWords })
    .from(o)
    .where(and(isNotNull(o.directoryWords), ...expansions.map((e) => sql`${o.directoryWords} && ${textArray(e.map((x) => x.term))}`)))
    .limit(CANDIDATES)
    .as('candidates');
  // Per query word the weight of the best of its readings the entry contains.
  const score = sql.join(
    expansions.map(
      (e) =>
        sql`coalesce((select max(x.w) from unnest(${textArray(e.map((x) => x.term))}, array[${sql.join(
          e.map((x) => sql`${x.weight}`),
          sql`, `,
        )}]::float8[]) as x(t, w) where x.t = any(${candidates.words})), 0)`,
    ),
    sql` + `,
  );
  const rows = await tx.select().from(candidates).orderBy(desc(score), asc(candidates.name)).limit(RESULTS);
  return withMailboxes(
    tx,
    rows.filter((r) => !exclude.has(r.id)).map(({ words: _words, ...entry }) => entry),
  );
}

/**
 * Entries that match every word of the query — as typed, as the beginning of
 * a word, or spelt nearly so (typos, umlauts typed without dots) — best first.
 * The closest readings are searched first; the wider ones fill up what is left.
 */
export async function searchDirectory(db: DbOrTx, q: string): Promise<TDirectoryEntry[]> {
  const words = queryWords(q);
  if (!words.length) return [];
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(NEAR.alone)}, true)`);
    const expansions = await Promise.all(words.map((w) => expand(tx, w)));
    if (expansions.some((e) => !e.length)) return [];
    const first = await matchEntries(tx, expansions.map(closest), new Set());
    if (first.length >= RESULTS || expansions.every((e) => closest(e).length === e.length)) return first;
    const more = await matchEntries(tx, expansions, new Set(first.map((e) => e.id)));
    return [...first, ...more].slice(0, RESULTS);
  });
}

export async function directoryEntry(db: DbOrTx, id: string): Promise<TDirectoryEntry> {
  const [row] = await db
    .select(entryColumns)
    .from(o)
    .where(and(eq(o.id, id), isNotNull(o.directoryWords)));
  if (!row) throw new AppError('not_found');
  const [entry] = await withMailboxes(db, [row]);
  return entry;
}

/** Writes what the search matches for an organisation, or removes it from the directory. Call after any change to its profile. */
export async function refreshDirectoryEntry(db: DbOrTx, orgId: string): Promise<void> {
  const [org] = await db.select().from(o).where(eq(o.id, orgId));
  if (!org) return;
  const names = (await db.select({ name: mailboxes.name }).from(mailboxes).where(eq(mailboxes.orgId, orgId))).map((b) => b.name);
  const words = org.directoryVisible ? directoryWords({ ...org, mailboxNames: names }) : null;
  await db.update(o).set({ directoryWords: words }).where(eq(o.id, orgId));
  if (words?.length) await db.insert(directoryTerms).values(words.map((term) => ({ term }))).onConflictDoNothing();
}

export async function directoryVisibility(db: DbOrTx, session: SessionContext): Promise<TDirectoryVisibility> {
  const [row] = await db.select({ directoryVisible: o.directoryVisible }).from(o).where(eq(o.id, session.orgId));
  return { directoryVisible: row?.directoryVisible ?? false };
}

export async function setDirectoryVisibility(db: DbOrTx, session: SessionContext, input: TDirectoryVisibility): Promise<void> {
  if (session.role === 'member') throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    await tx.update(o).set({ directoryVisible: input.directoryVisible }).where(eq(o.id, session.orgId));
    await refreshDirectoryEntry(tx, session.orgId);
  });
}

// ---------------------------------------------------------------------------
// The organisation's partner list

export type TPartnerPinRow = {
  partnerId: string;
  pinEnc: string;
  signature: string;
  signer: { userId: string; orgId: string; x25519Public: string; ed25519Public: string; memberCert: string | null } | null;
  updatedAt: Date;
};

export async function partnerPin(db: DbOrTx, session: SessionContext, partnerId: string): Promise<TPartnerPinRow | null> {
  const [row] = await db
    .select({
      partnerId: partnerPins.partnerId,
      pinEnc: partnerPins.pinEnc,
      signature: partnerPins.signature,
      updatedAt: partnerPins.updatedAt,
      signerId: users.id,
      signerOrgId: users.orgId,
      x25519Public: users.x25519Public,
      ed25519Public: users.ed25519Public,
      memberCert: users.memberCert,
    })
    .from(partnerPins)
    .leftJoin(users, and(eq(users.id, partnerPins.signedBy), eq(users.orgId, partnerPins.orgId)))
    .where(and(eq(partnerPins.orgId, session.orgId), eq(partnerPins.partnerId, partnerId)));
  if (!row) return null;
  const signer =
    row.signerId && row.signerOrgId && row.x25519Public && row.ed25519Public
      ? { userId: row.signerId, orgId: row.signerOrgId, x25519Public: row.x25519Public, ed25519Public: row.ed25519Public, memberCert: row.memberCert }
      : null;
  return { partnerId: row.partnerId, pinEnc: row.pinEnc, signature: row.signature, signer, updatedAt: row.updatedAt };
}

/** Stores (or replaces, after the member accepted a changed key) the pin of a partner that is in the directory. */
export async function putPartnerPin(db: DbOrTx, session: SessionContext, partnerId: string, input: TPartnerPin): Promise<void> {
  const [partner] = await db.select({ id: o.id }).from(o).where(eq(o.id, partnerId));
  if (!partner) throw new AppError('not_found');
  const values = { orgId: session.orgId, partnerId, pinEnc: input.pinEnc, signature: input.signature, signedBy: session.userId, updatedAt: now() };
  await db
    .insert(partnerPins)
    .values(values)
    .onConflictDoUpdate({ target: [partnerPins.orgId, partnerPins.partnerId], set: { pinEnc: values.pinEnc, signature: values.signature, signedBy: values.signedBy, updatedAt: values.updatedAt } });
}
