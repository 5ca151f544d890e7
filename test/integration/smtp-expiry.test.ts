// Konsil keeps a practice's SMTP password only until the chosen expiry; patient
// e-mails due after it would stall. The admins are told before: in the app
// (settings and dashboard) and once per expiry by an e-mail from Konsil.
import { BACKENDS, createTestAppointment, loginAsOwner, registerAccount, resetClock, sessionFor } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { outbox } from '@/lib/db/schema';
import { ZMailSettingsInput } from '@/lib/messaging/schemas';
import { getMailSettings, saveMailSettings } from '@/lib/messaging/service';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { runScheduledJobs } from '@/lib/jobs';

const saved = process.env.KONSIL_ALLOW_PRIVATE_RELAYS;
process.env.KONSIL_ALLOW_PRIVATE_RELAYS = '1';

const smtp = (passwordValidity: '1d' | '7d') =>
  ZMailSettingsInput.parse({
    transport: 'smtp',
    smtpHost: '127.0.0.1',
    smtpPort: 2525,
    smtpSecurity: 'starttls',
    fromAddress: 'praxis@example.de',
    username: 'praxis@example.de',
    password: 'relay-pässwort 2',
    passwordValidity,
  });

afterAll(() => {
  if (saved === undefined) delete process.env.KONSIL_ALLOW_PRIVATE_RELAYS;
  else process.env.KONSIL_ALLOW_PRIVATE_RELAYS = saved;
});

describe.each(BACKENDS)('SMTP password expiry on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
  });

  it('a reminder due after the stored password expires is announced in the settings and by one e-mail from Konsil per expiry', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    const owner = await sessionFor(db, loginAsOwner(a));
    await saveMailSettings(db, owner, smtp('1d'));
    expect((await getMailSettings(db, owner)).stallingAfterExpiry).toBe(0);

    // A reminder two days from now: the password (kept for a day) will be gone by then.
    const { id, codes } = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 3 * 86400_000) });
    await inviteForAppointment(db, owner, id, { channel: 'email', to: 'patient@example.org', code: codes.patientCode, locale: 'de', invitation: false, reminders: [24] });
    expect((await getMailSettings(db, owner)).stallingAfterExpiry).toBe(1);

    const notices = async () => db.select().from(outbox).where(and(eq(outbox.orgId, a.orgId), eq(outbox.template, 'smtp_password_expiring')));
    await runScheduledJobs(db);
    await runScheduledJobs(db);
    const [mail, ...more] = await notices();
    expect(more).toEqual([]);
    // From Konsil to the organisation's address, about the settings only: no patient address, no code.
    expect(mail).toMatchObject({ recipient: a.email, sealed: false, channel: 'email' });
    expect(mail!.subject).toBe('SMTP-Passwort läuft ab – eine Nachricht an Patienten würde nicht versandt');
    expect(mail!.bodyText).toContain('/app/einstellungen/email');
    expect(mail!.bodyText).not.toContain('patient@example.org');
    expect(mail!.bodyText).not.toContain(codes.patientCode);

    // The password entered again for a week: nothing stalls, nothing more is sent.
    await saveMailSettings(db, owner, smtp('7d'));
    expect((await getMailSettings(db, owner)).stallingAfterExpiry).toBe(0);
    await runScheduledJobs(db);
    expect(await notices()).toHaveLength(1);
  });
});
