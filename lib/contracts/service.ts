import 'server-only';
import path from 'node:path';
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import {
  callEvents,
  callStatsMonthly,
  appointments,
  contracts,
  devices,
  invoiceCounters,
  invoices,
  organisations,
  outbox,
  planPeriods,
  retainedRecords,
  sepaMandates,
  smsUsage,
  userSessions,
  users,
  type InvoiceData,
} from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { now } from '@/lib/core/clock';
import { getConfig } from '@/lib/core/config';
import { enqueueEmail } from '@/lib/messaging/outbox';
import { blobFolder, blobStore, orgPrefix } from '@/lib/blobs/store';
import { berlinDate, CONNECTMT_RULE, contractEndDate, endInstant, endOfMonthInstant, formatGermanDate, KONSIL_RULE, type NoticeRule } from './notice';
import { computeInvoice, debitDate, formatEuro, monthBounds, plusDays, previousMonth } from './invoice';
import { mandateReference } from './open';

const RULES: Record<string, NoticeRule> = { konsil: KONSIL_RULE, connectmt: CONNECTMT_RULE };

/** Only the main user changes the contract; everyone else in the organisation reads it. */
export function canManageContract(s: Pick<SessionContext, 'role'>): boolean {
  return s.role === 'owner';
}

function requireOwner(s: SessionContext) {
  if (!canManageContract(s)) throw new AppError('forbidden');
}

async function contractRow(db: DbOrTx, orgId: string) {
  // openContract writes it at registration; migration 0002 wrote it for organisations from before.
  const [c] = await db.select().from(contracts).where(eq(contracts.orgId, orgId));
  if (!c) throw new AppError('not_found');
  return c;
}

async function activeMandate(db: DbOrTx, orgId: string) {
  const [m] = await db
    .select()
    .from(sepaMandates)
    .where(and(eq(sepaMandates.orgId, orgId), isNull(sepaMandates.revokedAt)))
    .orderBy(desc(sepaMandates.signedAt))
    .limit(1);
  return m ?? null;
}

export function maskIban(iban: string): string {
  const c = iban.replace(/\s/g, '');
  return `${c.slice(0, 4)} •••• •••• •••• ${c.slice(-4)}`.trim();
}

/** Everything the contract page ("Rechnungsdaten") shows. */
export async function getContract(db: DbOrTx, session: SessionContext) {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, session.orgId));
  if (!org) throw new AppError('not_found');
  const c = await contractRow(db, session.orgId);
  const m = await activeMandate(db, session.orgId);
  const t = now();
  const rule = RULES[c.noticeRule] ?? KONSIL_RULE;
  const list = await db
    .select({ id: invoices.id, number: invoices.number, month: invoices.month, issuedOn: invoices.issuedOn, grossCents: invoices.grossCents, netCents: invoices.netCents })
    .from(invoices)
    .where(eq(invoices.orgId, session.orgId))
    .orderBy(desc(invoices.month));
  return {
    canManage: canManageContract(session),
    mainUser: { salutation: org.salutation, title: org.title, firstName: org.firstName, lastName: org.lastName, email: org.email, phone: org.phone },
    organisation: {
      name: org.name,
      shortName: org.shortName,
      street: org.street,
      houseNumber: org.houseNumber,
      addressExtra: org.addressExtra,
      plz: org.plz,
      city: org.city,
      bsnr: org.bsnr,
      lanr: org.lanr,
    },
    bank: m ? { accountHolder: m.accountHolder, iban: maskIban(m.iban), bic: m.bic, mandateReference: m.mandateReference, signedAt: m.signedAt } : null,
    plan: org.plan,
    startedOn: c.startedOn,
    pendingPlan: c.pendingPlan && c.pendingPlanAt && c.pendingPlanAt > t ? { plan: c.pendingPlan, at: c.pendingPlanAt, lastDay: berlinDate(new Date(c.pendingPlanAt.getTime() - 1)) } : null,
    cancellation: c.cancelledAt && c.endsOn ? { cancelledAt: c.cancelledAt, endsOn: c.endsOn, revocable: endInstant(c.endsOn) > t } : null,
    // What a cancellation today would mean, for the dialog.
    nextEndIfCancelledToday: contractEndDate(rule, { start: c.startedOn, noticeDate: berlinDate(t) }),
    noticeRule: rule.id,
    invoices: list,
  };
}

async function switchPlan(tx: DbOrTx, orgId: string, plan: string, at: Date) {
  await tx.update(planPeriods).set({ toAt: at }).where(and(eq(planPeriods.orgId, orgId), isNull(planPeriods.toAt)));
  await tx.insert(planPeriods).values({ orgId, plan, fromAt: at });
  await tx.update(organisations).set({ plan }).where(eq(organisations.id, orgId));
}

export type UpgradeInput = { accountHolder?: string; iban?: string; bic?: string; sepaMandate?: boolean };

/**
 * basis → plus: at once. Needs a SEPA mandate — the one from registration,
 * or a new one given here. While a downgrade is pending, "plus" just keeps plus.
 */
export async function upgradeToPlus(db: Db, session: SessionContext, input: UpgradeInput) {
  requireOwner(session);
  await db.transaction(async (tx) => {
    const [org] = await tx.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, session.orgId)).for('update');
    if (!org) throw new AppError('not_found');
    const c = await contractRow(tx, session.orgId);
    if (c.cancelledAt) throw new AppError('contract_cancelled');
    if (org.plan === 'plus') {
      if (!c.pendingPlan) throw new AppError('plan_unchanged');
      await tx.update(contracts).set({ pendingPlan: null, pendingPlanAt: null, updatedAt: now() }).where(eq(contracts.orgId, session.orgId));
      return;
    }
    let mandate = await activeMandate(tx, session.orgId);
    if (input.iban && input.bic && input.accountHolder && input.sepaMandate) {
      if (mandate) await tx.update(sepaMandates).set({ revokedAt: now() }).where(eq(sepaMandates.id, mandate.id));
      [mandate] = await tx
        .insert(sepaMandates)
        .values({ orgId: session.orgId, accountHolder: input.accountHolder, iban: input.iban, bic: input.bic, mandateReference: mandateReference(), signedAt: now() })
        .returning();
    }
    if (!mandate) throw new AppError('validation', { fields: { iban: 'required', bic: 'required', accountHolder: 'required', sepaMandate: 'mustAccept' } });
    await switchPlan(tx, session.orgId, 'plus', now());
  });
}

/** plus → basis: at the end of the current month (Berlin); plus works until then. */
export async function downgradeToBasis(db: Db, session: SessionContext) {
  requireOwner(session);
  const [org] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, session.orgId));
  if (!org) throw new AppError('not_found');
  const c = await contractRow(db, session.orgId);
  if (org.plan !== 'plus' || c.pendingPlan === 'basis') throw new AppError('plan_unchanged');
  const at = endOfMonthInstant(now());
  await db.update(contracts).set({ pendingPlan: 'basis', pendingPlanAt: at, updatedAt: now() }).where(eq(contracts.orgId, session.orgId));
  return { effectiveAt: at };
}

async function mainUserMail(tx: DbOrTx, orgId: string) {
  const [o] = await tx.select({ email: organisations.email, name: organisations.name, locale: organisations.locale }).from(organisations).where(eq(organisations.id, orgId));
  return { to: o!.email, orgName: o!.name, locale: (o!.locale === 'en' ? 'en' : 'de') as 'de' | 'en' };
}

/** "Vertrag kündigen und Daten löschen": ends at the next possible date under the notice rule. */
export async function cancelContract(db: Db, session: SessionContext) {
  requireOwner(session);
  return db.transaction(async (tx) => {
    const c = await contractRow(tx, session.orgId);
    if (c.cancelledAt) throw new AppError('contract_cancelled');
    const t = now();
    const rule = RULES[c.noticeRule] ?? KONSIL_RULE;
    const endsOn = contractEndDate(rule, { start: c.startedOn, noticeDate: berlinDate(t) });
    await tx.update(contracts).set({ cancelledAt: t, endsOn, updatedAt: t }).where(eq(contracts.orgId, session.orgId));
    const m = await mainUserMail(tx, session.orgId);
    await enqueueEmail(tx, {
      orgId: session.orgId,
      to: m.to,
      locale: m.locale,
      template: 'contract_cancelled',
      vars: { orgName: m.orgName, endsOn: formatGermanDate(endsOn), deletionAfter: formatGermanDate(endsOn), contractUrl: `${getConfig().appUrl}/app/stammdaten/rechnungsdaten` },
    });
    return { endsOn };
  });
}

/** "Kündigung widerrufen": possible until the contract's last day has passed. */
export async function revokeCancellation(db: Db, session: SessionContext) {
  requireOwner(session);
  await db.transaction(async (tx) => {
    const c = await contractRow(tx, session.orgId);
    if (!c.cancelledAt || !c.endsOn) throw new AppError('contract_not_cancelled');
    if (endInstant(c.endsOn) <= now()) throw new AppError('contract_ended');
    await tx.update(contracts).set({ cancelledAt: null, endsOn: null, updatedAt: now() }).where(eq(contracts.orgId, session.orgId));
    const m = await mainUserMail(tx, session.orgId);
    await enqueueEmail(tx, {
      orgId: session.orgId,
      to: m.to,
      locale: m.locale,
      template: 'contract_cancellation_revoked',
      vars: { orgName: m.orgName, contractUrl: `${getConfig().appUrl}/app/stammdaten/rechnungsdaten` },
    });
  });
}

// ---------------------------------------------------------------------------
// Jobs: due downgrades, deletion at the end, monthly invoices

/** Where an organisation's blobs live in the data folder (encrypted files; one folder per organisation) when no S3 bucket is configured. */
export function blobDirOf(orgId: string): string {
  return path.join(blobFolder(), orgId);
}

const OWNED_TABLES = [
  ['users', users.orgId],
  ['devices', devices.orgId],
  ['user_sessions', userSessions.orgId],
  ['appointments', appointments.orgId],
  ['call_events', callEvents.orgId],
  ['call_stats_monthly', callStatsMonthly.orgId],
  ['outbox', outbox.orgId],
  ['invoices', invoices.orgId],
  ['sms_usage', smsUsage.orgId],
] as const;

/**
 * Deletes an organisation and everything it owns (every table references the
 * organisation with ON DELETE CASCADE), and its blobs (everything below
 * "<org id>/" in the blob store: the data folder's <data>/blobs/<org id>, or
 * the bucket's prefix). Counts only. The short name stays reserved:
 * registration keeps only its hash.
 */
export async function deleteOrganisation(db: Db, orgId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const blobs = await blobStore();
  // Blobs first: should the store fail, the organisation is still there and the next run tries again.
  let removed = await blobs.removePrefix(orgPrefix(orgId));
  await db.transaction(async (tx) => {
    await retainRecords(tx, orgId);
    for (const [name, col] of OWNED_TABLES) {
      const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(sql`${sql.identifier(name)}`).where(eq(col, orgId));
      counts[name] = r?.n ?? 0;
    }
    const gone = await tx.delete(organisations).where(eq(organisations.id, orgId)).returning({ id: organisations.id });
    counts.organisations = gone.length;
  });
  // Again for what arrived in between (an upload still running).
  removed += await blobs.removePrefix(orgPrefix(orgId));
  counts.blobs = removed;
  return counts;
}

/** §147 AO: ten years from the end of the calendar year of issue (the last day, Berlin). */
export function retainInvoiceUntil(issuedOn: string): string {
  return `${Number(issuedOn.slice(0, 4)) + 10}-12-31`;
}

/**
 * Copies what tax law requires into retained_records before the organisation
 * goes: its invoices, and its SEPA mandates for as long as the last invoice.
 */
async function retainRecords(tx: DbOrTx, orgId: string): Promise<void> {
  const invs = await tx.select().from(invoices).where(eq(invoices.orgId, orgId));
  const mandates = await tx.select().from(sepaMandates).where(eq(sepaMandates.orgId, orgId));
  const rows: (typeof retainedRecords.$inferInsert)[] = invs.map((i) => ({
    kind: 'invoice' as const,
    formerOrgId: orgId,
    reference: i.number,
    data: { number: i.number, month: i.month, issuedOn: i.issuedOn, netCents: i.netCents, vatCents: i.vatCents, grossCents: i.grossCents, data: i.data },
    retainUntil: retainInvoiceUntil(i.issuedOn),
  }));
  const lastInvoice = rows.map((r) => r.retainUntil as string).sort().at(-1);
  for (const m of mandates) {
    rows.push({
      kind: 'sepa_mandate',
      formerOrgId: orgId,
      reference: m.mandateReference,
      data: { accountHolder: m.accountHolder, iban: m.iban, bic: m.bic, mandateReference: m.mandateReference, signedAt: m.signedAt.toISOString(), revokedAt: m.revokedAt?.toISOString() ?? null },
      retainUntil: lastInvoice ?? retainInvoiceUntil(berlinDate(m.signedAt)),
    });
  }
  if (rows.length) await tx.insert(retainedRecords).values(rows).onConflictDoNothing();
}

/** Drops retained records whose period has run out. */
export async function purgeRetainedRecords(db: DbOrTx, at: Date = now()): Promise<number> {
  const rows = await db.delete(retainedRecords).where(lt(retainedRecords.retainUntil, berlinDate(at))).returning({ id: retainedRecords.id });
  return rows.length;
}

async function nextInvoiceNumber(tx: DbOrTx, year: number): Promise<string> {
  await tx.insert(invoiceCounters).values({ year, last: 0 }).onConflictDoNothing();
  const [r] = await tx
    .update(invoiceCounters)
    .set({ last: sql`${invoiceCounters.last} + 1` })
    .where(eq(invoiceCounters.year, year))
    .returning({ last: invoiceCounters.last });
  return `RE-${year}-${String(r!.last).padStart(6, '0')}`;
}

/** The invoice of one organisation for one month (YYYY-MM), if anything is due; idempotent. */
export async function createInvoice(db: Db, orgId: string, month: string, at: Date = now(), opts: { final?: boolean } = {}) {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.month, month)));
    if (existing) return null;
    const [org] = await tx.select().from(organisations).where(eq(organisations.id, orgId));
    if (!org) return null;
    const { start: monthStart, end: monthEnd } = monthBounds(month);
    const periods = await tx.select().from(planPeriods).where(eq(planPeriods.orgId, orgId)).orderBy(asc(planPeriods.fromAt));
    const days = plusDays(periods, month);
    const [{ n: activeUsers }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(
        and(
          eq(users.orgId, orgId),
          ne(users.status, 'pending'),
          lt(users.createdAt, monthEnd),
          or(isNull(users.removedAt), gte(users.removedAt, monthStart)),
        ),
      )) as [{ n: number }];
    const [usage] = await tx.select({ count: smsUsage.count }).from(smsUsage).where(and(eq(smsUsage.orgId, orgId), eq(smsUsage.month, month)));
    const inv = computeInvoice({ month, plusDays: days, activeUsers, smsCount: usage?.count ?? 0 });
    if (inv.grossCents === 0) return null;
    const issuedOn = berlinDate(at);
    const mandate = await activeMandate(tx, orgId);
    const data: InvoiceData = {
      lines: inv.lines,
      address: {
        name: org.name,
        street: org.street,
        houseNumber: org.houseNumber,
        addressExtra: org.addressExtra,
        plz: org.plz,
        city: org.city,
        attention: [org.title, org.firstName, org.lastName].filter(Boolean).join(' '),
      },
      mandateReference: mandate?.mandateReference ?? null,
      iban: mandate ? maskIban(mandate.iban) : null,
      accountHolder: mandate?.accountHolder ?? null,
      debitDate: mandate ? debitDate(issuedOn) : null,
      vatRate: inv.vatRate,
    };
    const number = await nextInvoiceNumber(tx, Number(issuedOn.slice(0, 4)));
    const [row] = await tx
      .insert(invoices)
      .values({ orgId, number, month, issuedOn, netCents: inv.netCents, vatCents: inv.vatCents, grossCents: inv.grossCents, data })
      .returning({ id: invoices.id });
    await enqueueEmail(tx, {
      orgId: opts.final ? null : orgId,
      to: org.email,
      locale: org.locale === 'en' ? 'en' : 'de',
      template: 'invoice_ready',
      vars: { orgName: org.name, number, month, gross: formatEuro(inv.grossCents), contractUrl: `${getConfig().appUrl}/app/stammdaten/rechnungsdaten` },
    });
    return { id: row!.id, number };
  });
}

export type JobReport = { downgrades: number; deletedOrganisations: number; deleted: Record<string, number>; invoices: number };

/**
 * The contract jobs, idempotent, driven by the one clock: due downgrades take
 * effect, organisations whose contract has ended are deleted, and last
 * month's invoices are written. Runs hourly in the server and by hand with
 * `npm run jobs` (with --at to act as of another time).
 */
export async function runContractJobs(db: Db, at: Date = now()): Promise<JobReport> {
  const report: JobReport = { downgrades: 0, deletedOrganisations: 0, deleted: {}, invoices: 0 };
  // 1. Downgrades whose month has ended.
  const due = await db
    .select({ orgId: contracts.orgId, plan: contracts.pendingPlan, at: contracts.pendingPlanAt })
    .from(contracts)
    .where(and(isNotNull(contracts.pendingPlan), lte(contracts.pendingPlanAt, at)));
  for (const d of due) {
    await db.transaction(async (tx) => {
      const [c] = await tx.select().from(contracts).where(eq(contracts.orgId, d.orgId)).for('update');
      if (!c?.pendingPlan || !c.pendingPlanAt || c.pendingPlanAt > at) return;
      await switchPlan(tx, d.orgId, c.pendingPlan, c.pendingPlanAt);
      await tx.update(contracts).set({ pendingPlan: null, pendingPlanAt: null, updatedAt: at }).where(eq(contracts.orgId, d.orgId));
      report.downgrades++;
    });
  }
  // 2. Contracts that have ended: their organisations are deleted below, after their last invoice.
  const ended = (await db.select({ orgId: contracts.orgId, endsOn: contracts.endsOn }).from(contracts).where(isNotNull(contracts.endsOn))).filter(
    (c) => c.endsOn && endInstant(c.endsOn) <= at,
  );
  const endedIds = new Set(ended.map((e) => e.orgId));
  // 3. Last month's invoices, for every organisation that had plan plus in it.
  const month = previousMonth(berlinDate(at));
  const { start, end } = monthBounds(month);
  const candidates = await db
    .selectDistinct({ orgId: planPeriods.orgId })
    .from(planPeriods)
    .where(and(eq(planPeriods.plan, 'plus'), lt(planPeriods.fromAt, end), or(isNull(planPeriods.toAt), gt(planPeriods.toAt, start))));
  for (const c of candidates) {
    // An ended contract's last month is billed too, before the organisation goes; its
    // mail then belongs to no organisation, so the deletion below does not take it along.
    if (await createInvoice(db, c.orgId, month, at, { final: endedIds.has(c.orgId) })) report.invoices++;
  }
  // 4. Deletion.
  for (const e of ended) {
    const counts = await deleteOrganisation(db, e.orgId);
    if (counts.organisations) report.deletedOrganisations++;
    for (const [k, v] of Object.entries(counts)) report.deleted[k] = (report.deleted[k] ?? 0) + v;
  }
  if (report.downgrades || report.deletedOrganisations || report.invoices) {
    console.log(
      `[contracts] downgrades=${report.downgrades} invoices=${report.invoices} deleted organisations=${report.deletedOrganisations} rows=${JSON.stringify(report.deleted)}`,
    );
  }
  return report;
}

export async function getInvoice(db: DbOrTx, session: SessionContext, id: string) {
  const [row] = await db.select().from(invoices).where(and(eq(invoices.id, id), eq(invoices.orgId, session.orgId)));
  if (!row) throw new AppError('not_found');
  const [org] = await db.select({ shortName: organisations.shortName }).from(organisations).where(eq(organisations.id, session.orgId));
  return { ...row, orgShortName: org?.shortName ?? '' };
}

