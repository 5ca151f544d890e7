// Contracts (lib/contracts/service.ts): plan changes, cancellation and its
// revocation, the jobs (downgrade, deletion, invoices), on PostgreSQL and PGlite.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import {
  nativeJoinLookup,
  BACKENDS,
  addMember,
  buildRegistration,
  doLogin,
  expectAppError,
  ip,
  loginAsOwner,
  registerAccount,
  registerWithSession,
  resetClock,
  sessionFor,
  type Account,
} from './helpers';
import type { Db } from '@/lib/db/client';
import { contracts, organisations, outbox, planPeriods, sepaMandates, smsUsage, users } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { registerOrganisation } from '@/lib/accounts/service';
import {
  blobDirOf,
  cancelContract,
  createInvoice,
  downgradeToBasis,
  getContract,
  getInvoice,
  revokeCancellation,
  runContractJobs,
  upgradeToPlus,
} from '@/lib/contracts/service';
import { renderInvoicePdf } from '@/lib/contracts/invoice-pdf';
import { requireFeature } from '@/lib/plans/gate';
import { setClock } from '@/lib/core/clock';
import { newCodes, sealRecord } from '@/lib/protocol/appointments';
import { createAppointment } from '@/lib/appointments/service';

const SEPA = { accountHolder: 'Praxis Dr. Sommer', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', sepaMandate: true };

async function tablesWithOrgId(db: Db): Promise<string[]> {
  const rows = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.columns where column_name = 'org_id' and table_schema = current_schema() order by table_name`,
  );
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { table_name: string }[] }).rows) as { table_name: string }[];
  return list.map((r) => r.table_name);
}

async function rowsOf(db: Db, orgId: string) {
  const out: Record<string, number> = {};
  for (const t of await tablesWithOrgId(db)) {
    const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(t)} where org_id = ${orgId}`);
    const list = (Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows) as { n: number }[];
    out[t] = Number(list[0]!.n);
  }
  const [o] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, orgId));
  out.organisations = o ? 1 : 0;
  return out;
}

describe.each(BACKENDS)('contracts on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    ({ db, close } = await open());
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-blobs-'));
    process.env.KONSIL_DATA_DIR = dataDir;
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('registration records the contract start and the plan period', async () => {
    const { account, session } = await registerWithSession(db);
    const c = await getContract(db, session);
    expect(c.plan).toBe('basis');
    expect(c.canManage).toBe(true);
    expect(c.startedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const periods = await db.select().from(planPeriods).where(eq(planPeriods.orgId, account.orgId));
    expect(periods.map((p) => [p.plan, p.toAt])).toEqual([['basis', null]]);
  });

  it('basis → plus needs a SEPA mandate, takes effect at once; only the main user may change', async () => {
    const { account, session } = await registerWithSession(db);
    await expectAppError(requireFeature(db, account.orgId, 'screenSharing'), 'plan_required');
    await expectAppError(upgradeToPlus(db, session, {}), 'validation');
    const member = await addMember(db, { session, user: account.user }, { role: 'admin' });
    const adminSession = await sessionFor(db, member);
    await expectAppError(upgradeToPlus(db, adminSession, SEPA), 'forbidden');
    expect((await getContract(db, adminSession)).canManage).toBe(false);
    await upgradeToPlus(db, session, SEPA);
    await requireFeature(db, account.orgId, 'screenSharing');
    const c = await getContract(db, session);
    expect(c.plan).toBe('plus');
    expect(c.bank?.iban).toBe('DE89 •••• •••• •••• 3000');
    expect(c.bank?.mandateReference).toMatch(/^KONSIL-/);
    await expectAppError(upgradeToPlus(db, session, {}), 'plan_unchanged');
  });

  it('plus → basis at the end of the month; plus works until then; the job switches at midnight', async () => {
    const account = await registerAccount(db, { plan: 'plus' });
    const session = await sessionFor(db, loginAsOwner(account));
    setClock({ fixed: new Date('2031-03-14T10:00:00Z') });
    const { effectiveAt } = await downgradeToBasis(db, session);
    expect(effectiveAt.toISOString()).toBe('2031-03-31T22:00:00.000Z'); // midnight Berlin (CEST) after 31 March
    expect((await getContract(db, session)).pendingPlan).toMatchObject({ plan: 'basis', lastDay: '2031-03-31' });
    await requireFeature(db, account.orgId, 'smsInvitation');
    await runContractJobs(db, new Date('2031-03-31T21:59:00Z'));
    await requireFeature(db, account.orgId, 'smsInvitation');
    await runContractJobs(db, new Date('2031-03-31T22:00:00Z'));
    await expectAppError(requireFeature(db, account.orgId, 'smsInvitation'), 'plan_required');
    const periods = await db.select().from(planPeriods).where(eq(planPeriods.orgId, account.orgId)).orderBy(planPeriods.fromAt);
    expect(periods.map((p) => p.plan)).toEqual(['plus', 'basis']);
    expect(periods[0]!.toAt!.toISOString()).toBe('2031-03-31T22:00:00.000Z');
    // Going back to plus uses the mandate from registration.
    await upgradeToPlus(db, session, {});
    expect((await getContract(db, session)).plan).toBe('plus');
  });

  it('a pending downgrade is withdrawn by choosing plus again', async () => {
    const account = await registerAccount(db, { plan: 'plus' });
    const session = await sessionFor(db, loginAsOwner(account));
    await downgradeToBasis(db, session);
    await upgradeToPlus(db, session, {});
    expect((await getContract(db, session)).pendingPlan).toBeNull();
    const [c] = await db.select().from(contracts).where(eq(contracts.orgId, account.orgId));
    expect(c!.pendingPlan).toBeNull();
  });

  it('cancel → three months to quarter end, mail; revoke → mail; cancel again computes afresh; after the end no revocation', async () => {
    const { account, session } = await registerWithSession(db);
    setClock({ fixed: new Date('2031-11-27T09:00:00Z') });
    const { endsOn } = await cancelContract(db, session);
    expect(endsOn).toBe('2032-03-31');
    await expectAppError(cancelContract(db, session), 'contract_cancelled');
    expect((await getContract(db, session)).cancellation).toMatchObject({ endsOn: '2032-03-31', revocable: true });
    const mails = () => db.select({ template: outbox.template, to: outbox.recipient, text: outbox.bodyText }).from(outbox).where(eq(outbox.orgId, account.orgId));
    const cancelled = (await mails()).find((m) => m.template === 'contract_cancelled')!;
    expect(cancelled.to).toBe(account.email);
    expect(cancelled.text).toContain('31.03.2032');
    await revokeCancellation(db, session);
    expect((await mails()).map((m) => m.template)).toContain('contract_cancellation_revoked');
    expect((await getContract(db, session)).cancellation).toBeNull();
    await expectAppError(revokeCancellation(db, session), 'contract_not_cancelled');
    // Later: a new period.
    setClock({ fixed: new Date('2032-01-02T09:00:00Z') });
    expect((await cancelContract(db, session)).endsOn).toBe('2032-06-30');
    setClock({ fixed: new Date('2032-06-30T21:59:00Z') }); // 23:59 in Berlin on the last day
    expect((await getContract(db, session)).cancellation?.revocable).toBe(true);
    setClock({ fixed: new Date('2032-06-30T22:00:00Z') });
    await expectAppError(revokeCancellation(db, session), 'contract_ended');
  });

  it('the job deletes the organisation and everything it owns at the end; idempotent; login and the short name are gone for good', async () => {
    const account = await registerAccount(db, { plan: 'plus' });
    const session = await sessionFor(db, loginAsOwner(account));
    await addMember(db, { session, user: account.user });
    const id = crypto.randomUUID();
    const codes = await newCodes(id, nativeJoinLookup);
    await createAppointment(db, session, {
      id,
      startsAt: new Date(),
      durationMin: 15,
      holderId: session.userId,
      recordEnc: sealRecord(account.orgKey, account.orgId, id, { patientName: 'X', birthDate: '', phone: '', email: '', note: '', doctorCode: codes.doctorCode, patientCode: codes.patientCode }),
      patientLookup: codes.patientLookup,
      hostLookup: codes.hostLookup,
      hostWrap: codes.hostWrap,
    });
    fs.mkdirSync(blobDirOf(account.orgId), { recursive: true });
    fs.writeFileSync(path.join(blobDirOf(account.orgId), 'study.bin'), Buffer.alloc(64, 1));
    const other = await registerWithSession(db);

    setClock({ fixed: new Date('2031-11-27T09:00:00Z') });
    const { endsOn } = await cancelContract(db, session);
    const before = await rowsOf(db, account.orgId);
    expect(before.users).toBe(2);
    expect(before.appointments).toBe(1);
    // Until the end everything stays.
    const early = await runContractJobs(db, new Date('2032-03-31T21:59:00Z'));
    expect(early.deletedOrganisations).toBe(0);
    // Midnight after the last day in Berlin.
    const report = await runContractJobs(db, new Date('2032-03-31T22:00:00Z'));
    expect(endsOn).toBe('2032-03-31');
    expect(report.deletedOrganisations).toBe(1);
    expect(report.deleted.users).toBe(2);
    expect(report.deleted.blobs).toBe(1);
    const after = await rowsOf(db, account.orgId);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['users', 'devices', 'appointments', 'outbox', 'contracts', 'sepa_mandates', 'call_events', 'invoices', 'user_sessions']));
    expect(fs.existsSync(blobDirOf(account.orgId))).toBe(false);
    expect(await db.select().from(users).where(eq(users.orgId, account.orgId))).toEqual([]);
    // Idempotent.
    const again = await runContractJobs(db, new Date('2032-04-02T00:00:00Z'));
    expect(again.deletedOrganisations).toBe(0);
    // Another organisation is untouched.
    expect((await rowsOf(db, other.account.orgId)).users).toBe(1);
    resetClock();
    // Login fails as for an unknown account; the short name can never be registered again.
    await expectAppError(doLogin(db, loginAsOwner(account), ip()), 'login_failed');
    const again2 = await buildRegistration({ orgShortName: account.orgShortName.toUpperCase() });
    await expectAppError(registerOrganisation(db, again2.request, ip()), 'short_name_taken');
  });

  it('invoice for a month with an upgrade in the middle and SMS: totals, number, pre-notification, PDF, mail', async () => {
    const { account, session } = await registerWithSession(db);
    await addMember(db, { session, user: account.user });
    await addMember(db, { session, user: account.user });
    // Names in any Latin script print as written (an embedded Unicode font, not WinAnsi).
    await db.update(organisations).set({ name: 'Praxis Łucja Çelik', firstName: 'Thị Ánh', lastName: 'Nguyễn' }).where(eq(organisations.id, account.orgId));
    // Users exist from the start of the month; the upgrade happens on 16 November (Berlin).
    await db.update(users).set({ createdAt: new Date('2031-10-20T08:00:00Z') }).where(eq(users.orgId, account.orgId));
    await db.update(planPeriods).set({ fromAt: new Date('2031-10-20T08:00:00Z') }).where(eq(planPeriods.orgId, account.orgId));
    setClock({ fixed: new Date('2031-11-16T09:30:00Z') });
    await upgradeToPlus(db, session, SEPA);
    await db.insert(smsUsage).values({ orgId: account.orgId, month: '2031-11', count: 42 });
    resetClock();
    const report = await runContractJobs(db, new Date('2031-12-01T06:00:00Z'));
    expect(report.invoices).toBeGreaterThanOrEqual(1);
    const c = await getContract(db, session);
    const listed = c.invoices.find((i) => i.month === '2031-11')!;
    // 3 users × 19,00 € × 15/30 = 28,50 €; 42 SMS × 0,10 € = 4,20 €; net 32,70 €; VAT 6,21 €; gross 38,91 €
    expect(listed.netCents).toBe(3270);
    expect(listed.grossCents).toBe(3891);
    expect(listed.number).toMatch(/^RE-2031-\d{6}$/);
    // Running again writes nothing new.
    expect(await createInvoice(db, account.orgId, '2031-11', new Date('2031-12-01T07:00:00Z'))).toBeNull();
    const inv = await getInvoice(db, session, listed.id);
    expect(inv.data.debitDate).toBe('2031-12-15');
    expect(inv.data.mandateReference).toMatch(/^KONSIL-/);
    const pdf = await renderInvoicePdf(inv);
    expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe('%PDF-');
    const file = path.join(dataDir, `${listed.number}.pdf`);
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const s of ['Praxis Łucja Çelik', 'Thị Ánh Nguyễn', listed.number, '01.12.2031', 'November 2031', '28,50 €', '4,20 €', '32,70 €', '6,21 €', '38,91 €', '15.12.2031', inv.data.mandateReference!, 'anteilig 15 von 30 Tagen']) {
      expect(text).toContain(s);
    }
    const mail = await db.select().from(outbox).where(and(eq(outbox.orgId, account.orgId), eq(outbox.template, 'invoice_ready')));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.bodyText).toContain('38,91 €');
    // Another organisation cannot fetch it.
    const other = await registerWithSession(db);
    await expectAppError(getInvoice(db, other.session, listed.id), 'not_found');
  });

  it('a basis organisation gets no invoice and needs no mandate', async () => {
    const { account } = await registerWithSession(db);
    expect(await createInvoice(db, account.orgId, '2031-11')).toBeNull();
    const [m] = await db.select().from(sepaMandates).where(eq(sepaMandates.orgId, account.orgId));
    expect(m).toBeUndefined();
  });

  it('another organisation cannot read or change this contract', async () => {
    const a = await registerWithSession(db);
    const b = await registerWithSession(db);
    const ca = await getContract(db, a.session);
    const cb = await getContract(db, b.session);
    expect(cb.organisation.shortName).not.toBe(ca.organisation.shortName);
    // Every action works on the caller's own organisation only (org id from the session).
    await cancelContract(db, b.session);
    expect((await getContract(db, a.session)).cancellation).toBeNull();
    await revokeCancellation(db, b.session);
  });
});

export type { Account, SessionContext };
