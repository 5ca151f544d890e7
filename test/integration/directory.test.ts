// The directory (lib/directory/service.ts): only organisations that chose to be
// listed, found by name, place, specialty or type, with typos and umlauts, on
// PostgreSQL and PGlite; partner pins stay the organisation's own.
import { BACKENDS, expectAppError, registerWithSession, uid, type Account } from './helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { organisations } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { directoryEntry, partnerPin, putPartnerPin, searchDirectory, setDirectoryVisibility } from '@/lib/directory/service';
import { openPartnerPin, sealPartnerPin } from '@/lib/protocol/directory';

/** A word no other test's organisation carries, so results can be asserted exactly on a shared database. */
const tag = () => `Qx${Array.from({ length: 6 }, () => 'bcdfghjklmnprstvwz'[Math.floor(Math.random() * 18)]).join('')}`;

describe.each(BACKENDS)('directory on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let word: string;
  let radiology: { account: Account; session: SessionContext };
  let surgery: { account: Account; session: SessionContext };
  let hidden: { account: Account; session: SessionContext };

  async function profile(s: SessionContext, p: Partial<typeof organisations.$inferInsert>, visible: boolean) {
    await db.update(organisations).set(p).where(eq(organisations.id, s.orgId));
    await setDirectoryVisibility(db, s, { directoryVisible: visible });
  }
  const names = async (q: string) => (await searchDirectory(db, q)).map((e) => e.name);

  beforeAll(async () => {
    ({ db, close } = await open());
    word = tag();
    radiology = await registerWithSession(db);
    surgery = await registerWithSession(db);
    hidden = await registerWithSession(db);
    await profile(radiology.session, { name: `Radiologie Zentrum Süd ${word}`, orgType: 'mvz', specialty: 'Radiologie', plz: '80331', city: 'München' }, true);
    await profile(surgery.session, { name: `Gemeinschaftspraxis Dr. Öztürk ${word}`, orgType: 'arztpraxis', specialty: 'Unfallchirurgie', plz: '50667', city: 'Köln' }, true);
    await profile(hidden.session, { name: `Praxis im Verborgenen ${word}`, specialty: 'Radiologie', city: 'München' }, false);
  });
  afterAll(async () => {
    await close?.();
  });

  it('lists only organisations that chose to be listed', async () => {
    expect((await names(word)).sort()).toEqual([`Gemeinschaftspraxis Dr. Öztürk ${word}`, `Radiologie Zentrum Süd ${word}`]);
    await expectAppError(directoryEntry(db, hidden.session.orgId), 'not_found');
    expect((await directoryEntry(db, radiology.session.orgId)).publicKey).toBe(radiology.account.request.org.publicKey);
  });

  it('finds by name, place, postcode, specialty and type — with typos and umlauts spelt either way', async () => {
    for (const q of [`Radiolgie ${word}`, `muenchen ${word}`, `Munchen ${word}`, `803 ${word}`, `MVZ ${word}`, `Zentrum Sud ${word}`])
      expect(await names(q), q).toEqual([`Radiologie Zentrum Süd ${word}`]);
    for (const q of [`Oeztuerk ${word}`, `Unfalchirugie ${word}`, `Koeln ${word}`, `Köln ${word}`, `praxis ${word}`])
      expect(await names(q), q).toEqual([`Gemeinschaftspraxis Dr. Öztürk ${word}`]);
    // Nothing near: nothing found. A near word only ("Kardiologie" for Radiologie) is offered, never something else.
    expect(await names(`Xylophon ${word}`)).toEqual([]);
    expect(await names(`Kardiologie ${word}`)).not.toContain(`Gemeinschaftspraxis Dr. Öztürk ${word}`);
    expect(await searchDirectory(db, ' ')).toEqual([]);
  });

  it('leaving the directory takes effect at once', async () => {
    await setDirectoryVisibility(db, surgery.session, { directoryVisible: false });
    expect(await names(`Köln ${word}`)).toEqual([]);
    await setDirectoryVisibility(db, surgery.session, { directoryVisible: true });
    expect(await names(`Köln ${word}`)).toHaveLength(1);
  });

  it('a member cannot change the listing', async () => {
    await expectAppError(setDirectoryVisibility(db, { ...radiology.session, role: 'member' }, { directoryVisible: false }), 'forbidden');
  });

  it('a partner pin is the organisation’s own, opens only there, and names its signer', async () => {
    const a = radiology.account;
    const partnerId = surgery.session.orgId;
    const sealed = sealPartnerPin({ orgKey: a.orgKey, orgId: a.orgId, signer: a.user.ed25519Private, keys: { orgId: partnerId, publicKey: surgery.account.request.org.publicKey, signPublic: surgery.account.request.org.signPublic }, compared: true, at: new Date() });
    await putPartnerPin(db, radiology.session, partnerId, sealed);
    const row = await partnerPin(db, radiology.session, partnerId);
    expect(row?.signer?.userId).toBe(a.userId);
    const pin = openPartnerPin({ orgKey: a.orgKey, orgId: a.orgId, orgSignPublic: a.request.org.signPublic!, partnerId, pinEnc: row!.pinEnc, signature: row!.signature, signer: row!.signer });
    expect(pin.comparedAt).not.toBeNull();
    expect(await partnerPin(db, hidden.session, partnerId)).toBeNull();
    await expectAppError(putPartnerPin(db, radiology.session, uid(), sealed), 'not_found');
  });
});
