// Team notes (lib/notes/service.ts) are scoped to the session's organisation,
// on PostgreSQL and PGlite.
import { BACKENDS, addMember, expectAppError, registerWithSession, sessionFor, uid, type Account } from './helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { notes } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { createNote, deleteNote, listNotes } from '@/lib/notes/service';
import { decryptText, encryptText } from '@/lib/crypto/envelope';
import { noteAd } from '@/lib/protocol/notes';
import type { OrgKey } from '@/lib/crypto/types';
import { isUniqueViolation } from '@/lib/db/errors';

async function writeNote(db: Db, session: SessionContext, orgKey: OrgKey, text: string) {
  const id = uid();
  await createNote(db, session, { id, bodyEnc: encryptText(orgKey, text, noteAd(session.orgId, id)) });
  return id;
}

describe.each(BACKENDS)('notes on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let a: Account;
  let sessA: SessionContext;
  let b: Account;
  let sessB: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    ({ account: a, session: sessA } = await registerWithSession(db));
    ({ account: b, session: sessB } = await registerWithSession(db));
  });
  afterAll(async () => {
    await close?.();
  });

  it('a duplicate key from the driver is recognised as a conflict, other errors are not', async () => {
    const id = uid();
    const row = { id, orgId: sessA.orgId, authorId: sessA.userId, bodyEnc: 'v1.x.y' };
    await db.insert(notes).values(row);
    const err = await db.insert(notes).values(row).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('duplicate'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it("lists only the session's organisation's notes, newest first, with the author's short name", async () => {
    const n1 = await writeNote(db, sessA, a.orgKey, 'Erste Notiz');
    await new Promise((r) => setTimeout(r, 5));
    const n2 = await writeNote(db, sessA, a.orgKey, 'Zweite Notiz');
    const nb = await writeNote(db, sessB, b.orgKey, 'Notiz der anderen Praxis');

    const listA = await listNotes(db, sessA);
    const idsA = listA.map((n) => n.id);
    expect(idsA).toEqual(expect.arrayContaining([n1, n2]));
    expect(idsA).not.toContain(nb);
    expect(idsA.indexOf(n2)).toBeLessThan(idsA.indexOf(n1));
    const first = listA.find((n) => n.id === n1)!;
    expect(first.authorShortName).toBe(a.userShortName);
    expect(decryptText(a.orgKey, first.bodyEnc, noteAd(a.orgId, n1))).toBe('Erste Notiz');
    // The server stores only the envelope.
    const [row] = await db.select().from(notes).where(eq(notes.id, n1));
    expect(row.bodyEnc).not.toContain('Erste');
    expect(row).toMatchObject({ orgId: a.orgId, authorId: a.userId });

    const idsB = (await listNotes(db, sessB)).map((n) => n.id);
    expect(idsB).toEqual([nb]);
  });

  it("refuses to delete or overwrite another organisation's note", async () => {
    const id = await writeNote(db, sessA, a.orgKey, 'Vertraulich');
    await expectAppError(deleteNote(db, sessB, id), 'not_found');
    // Same id from the other organisation: refused, the original stays as it was.
    const forged = encryptText(b.orgKey, 'überschrieben', noteAd(b.orgId, id));
    await expectAppError(createNote(db, sessB, { id, bodyEnc: forged }), 'conflict');
    const [row] = await db.select().from(notes).where(eq(notes.id, id));
    expect(row.orgId).toBe(a.orgId);
    expect(decryptText(a.orgKey, row.bodyEnc, noteAd(a.orgId, id))).toBe('Vertraulich');
    expect((await listNotes(db, sessB)).map((n) => n.id)).not.toContain(id);

    await deleteNote(db, sessA, id);
    expect(await db.select().from(notes).where(eq(notes.id, id))).toHaveLength(0);
    await expectAppError(deleteNote(db, sessA, id), 'not_found');
  });

  it("members of the organisation share its notes; an envelope moved to another row doesn't open", async () => {
    const m = await addMember(db, { session: sessA, user: a.user });
    const sessM = await sessionFor(db, m);
    const id = await writeNote(db, sessM, a.orgKey, 'Vom Mitglied');
    const seen = (await listNotes(db, sessA)).find((n) => n.id === id);
    expect(seen?.authorShortName).toBe(m.userShortName);
    expect(decryptText(a.orgKey, seen!.bodyEnc, noteAd(a.orgId, id))).toBe('Vom Mitglied');
    // Associated data binds the body to its row.
    expect(() => decryptText(a.orgKey, seen!.bodyEnc, noteAd(a.orgId, uid()))).toThrow();
  });
});
