import { now } from '../../core/clock';
import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

// The contract of an organisation ("Unser Vertragsverhältnis"): when it began,
// which notice rule applies, a pending downgrade, and a cancellation.
export const contracts = pgTable('contracts', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  startedOn: date('started_on').notNull(), // Europe/Berlin calendar date
  noticeRule: text('notice_rule').notNull().default('konsil'),
  // plus → basis takes effect at the end of the month.
  pendingPlan: text('pending_plan'),
  pendingPlanAt: timestamp('pending_plan_at', { withTimezone: true }),
  // A cancellation: when it was declared and the contract's last day.
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  endsOn: date('ends_on'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

// Which plan held when: the basis for pro-rata invoices.
export const planPeriods = pgTable(
  'plan_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
    toAt: timestamp('to_at', { withTimezone: true }),
  },
  (t) => [index('plan_periods_org_idx').on(t.orgId, t.fromAt)],
);

export type InvoiceData = {
  lines: { key: 'users' | 'sms'; quantity: number; unitCents: number; days?: number; daysInMonth?: number; amountCents: number }[];
  address: { name: string; street: string; houseNumber: string; addressExtra: string | null; plz: string; city: string; attention: string };
  mandateReference: string | null;
  iban: string | null;
  accountHolder: string | null;
  debitDate: string | null; // YYYY-MM-DD
  vatRate: number;
};

export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    month: text('month').notNull(), // YYYY-MM, Europe/Berlin
    issuedOn: date('issued_on').notNull(),
    netCents: integer('net_cents').notNull(),
    vatCents: integer('vat_cents').notNull(),
    grossCents: integer('gross_cents').notNull(),
    data: jsonb('data').$type<InvoiceData>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [unique('invoices_number_key').on(t.number), unique('invoices_org_month_key').on(t.orgId, t.month)],
);

// Invoice numbers run per year without gaps: RE-2026-000001, …
export const invoiceCounters = pgTable('invoice_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull().default(0),
});

// What German tax law requires to be kept after an organisation is deleted
// (§147 AO: invoices ten years from the end of the year they were issued in),
// and the SEPA mandates they were debited under. No foreign key: these rows
// outlive the organisation; they hold what an invoice or mandate needs and
// nothing else (no users, no patients, no keys).
export const retainedRecords = pgTable(
  'retained_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['invoice', 'sepa_mandate'] }).notNull(),
    formerOrgId: uuid('former_org_id').notNull(),
    reference: text('reference').notNull(), // invoice number or mandate reference
    data: jsonb('data').notNull(),
    retainUntil: date('retain_until').notNull(), // Europe/Berlin calendar date, inclusive
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [unique('retained_records_kind_reference_key').on(t.kind, t.reference), index('retained_records_until_idx').on(t.retainUntil)],
);
