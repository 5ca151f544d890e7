import 'server-only';
import { and, desc, eq, inArray, lte, or, sql, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { appointments, outbox, smsUsage, type OutboxMessage } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { berlinMonth } from '@/lib/time/berlin';
import { getConfig } from '@/lib/core/config';
import { openString, SealError } from '@/lib/server/seal';
import { renderTemplate, type Locale, type TemplateName, type TemplateVars } from './templates';
import { TransportConfigError, TransportError, type Transport } from './transport';
import { createTransportResolver, defaultEmailTransport, type TransportResolver } from './routing';

export const MAX_ATTEMPTS = 8;
/** Lease of a claimed row; every single send is bounded well below it (smtp.ts, sms-gateway.ts). */
export const LEASE_MS = 60_000;
/** A message waiting for the practice's settings (e.g. an SMTP password) is looked at again after this. */
export const CONFIG_RETRY_MS = 5 * 60_000;

// Messages that carry a one-time secret (an invitation link) keep only a
// placeholder once delivered, so the outbox holds no usable token.
const REDACT_AFTER_SEND = new Set(['member_invitation']);
export const REDACTED_BODY = '[redacted after delivery]';
/** What is left of a sealed (patient) message once it is sent, failed for good or cancelled. */
export const REDACTED = '[redacted]';

/** Associated data binding each sealed field to its outbox row. */
export const outboxAd = (id: string, field: 'recipient' | 'subject' | 'body') => `outbox:${id}:${field}`;

/** The columns that erase a sealed message's recipient and content. */
export const redactedColumns = { recipient: REDACTED, subject: REDACTED, bodyText: REDACTED, bodyHtml: null } as const;

export async function enqueueEmail<K extends TemplateName>(
  db: DbOrTx,
  args: { orgId: string | null; to: string; locale: Locale; template: K; vars: TemplateVars[K] },
): Promise<string> {
  const { subject, text } = renderTemplate(args.template, args.locale, args.vars);
  const [row] = await db
    .insert(outbox)
    .values({ orgId: args.orgId, channel: 'email', template: args.template, recipient: args.to, subject, bodyText: text, nextAttemptAt: now() })
    .returning({ id: outbox.id });
  return row.id;
}

/** Resend when RESEND_API_KEY is set, else the dev outbox (e-mail only; the worker resolves per message). */
export function defaultTransport(): Transport {
  return defaultEmailTransport();
}

/** Exponential back-off: 30 s, 1 min, 2 min … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

function openSealed(msg: OutboxMessage): OutboxMessage {
  if (!msg.sealed) return msg;
  return {
    ...msg,
    recipient: openString(msg.recipient, outboxAd(msg.id, 'recipient')),
    subject: openString(msg.subject, outboxAd(msg.id, 'subject')),
    bodyText: openString(msg.bodyText, outboxAd(msg.id, 'body')),
    bodyHtml: null,
  };
}

/** A short code for last_error; the raw text of an unknown error only for unsealed messages. */
function errorCode(e: unknown, sealed: boolean): string {
  if (e instanceof TransportError) return e.message.slice(0, 200);
  if (!sealed && e instanceof Error) return e.message.slice(0, 200);
  return e instanceof Error && e.name !== 'Error' ? e.name.slice(0, 60) : 'transport_error';
}

/**
 * Delivers due messages. Each row is claimed with a lease (locked_until) in one
 * UPDATE … RETURNING, so two workers or instances never send the same message;
 * a crashed worker's lease runs out and the row is retried. The attempt count
 * of the claim is the fencing token: before each send the lease is renewed
 * only if the row is still ours, and the outcome is written only then.
 *
 * `transport` is either one transport for every message (tests) or a
 * resolver that picks one per message (the default: the organisation's SMTP
 * or SMS settings, else Resend / the SMS gateway / the dev outbox).
 */
export async function deliverDue(
  db: DbOrTx,
  transport: Transport | TransportResolver = createTransportResolver(),
  limit = 20,
): Promise<number> {
  const resolve: TransportResolver = typeof transport === 'function' ? transport : async () => ({ transport, from: getConfig().mailFrom });
  const t = now();
  const lease = new Date(t.getTime() + LEASE_MS);
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        or(eq(outbox.status, 'pending'), and(eq(outbox.status, 'sending'), lt(outbox.lockedUntil, t))),
        lte(outbox.nextAttemptAt, t),
      ),
    )
    .orderBy(outbox.nextAttemptAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(outbox)
    .set({ status: 'sending', lockedUntil: lease, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
  let sent = 0;
  for (const msg of claimed) {
    const ours = and(eq(outbox.id, msg.id), eq(outbox.status, 'sending'), eq(outbox.attempts, msg.attempts));
    // Still ours? (Rows further down the batch may have waited a while.)
    const renewed = await db
      .update(outbox)
      .set({ lockedUntil: new Date(now().getTime() + LEASE_MS) })
      .where(ours)
      .returning({ id: outbox.id });
    if (renewed.length === 0) continue;

    // A reminder whose appointment has begun, or was cancelled, is never sent late.
    if (msg.template === 'patient_reminder' && msg.appointmentId) {
      const [a] = await db
        .select({ startsAt: appointments.startsAt, state: appointments.state })
        .from(appointments)
        .where(eq(appointments.id, msg.appointmentId));
      if (a && (a.state === 'cancelled' || a.startsAt <= now())) {
        await db.update(outbox).set({ status: 'cancelled', lockedUntil: null, lastError: 'appointment_over', ...redactedColumns }).where(ours);
        continue;
      }
    }

    let plain: OutboxMessage;
    try {
      plain = openSealed(msg);
    } catch (e) {
      if (!(e instanceof SealError)) throw e;
      // AUTH_SECRET changed or the row was tampered with: it can never be sent.
      await db
        .update(outbox)
        .set({ status: 'failed', lockedUntil: null, lastError: 'seal_unreadable', ...redactedColumns })
        .where(ours);
      continue;
    }

    let route;
    try {
      route = await resolve(db, plain);
    } catch (e) {
      if (!(e instanceof TransportConfigError)) throw e;
      // Waiting for the practice's settings is not a delivery attempt.
      await db
        .update(outbox)
        .set({
          status: 'pending',
          lockedUntil: null,
          lastError: e.code,
          attempts: msg.attempts - 1,
          nextAttemptAt: new Date(now().getTime() + CONFIG_RETRY_MS),
        })
        .where(ours);
      continue;
    }

    try {
      const res = await route.transport.send(plain, route.from, route.opts);
      const done = await db.transaction(async (tx) => {
        const rows = await tx
          .update(outbox)
          .set({
            status: 'sent',
            sentAt: now(),
            lockedUntil: null,
            lastError: null,
            transport: route.transport.name,
            providerMessageId: res.providerMessageId?.slice(0, 200) ?? null,
            ...(msg.sealed ? redactedColumns : REDACT_AFTER_SEND.has(msg.template) ? { bodyText: REDACTED_BODY, bodyHtml: null } : {}),
          })
          .where(ours)
          .returning({ id: outbox.id });
        if (rows.length === 1 && msg.channel === 'sms' && msg.orgId) {
          // Counted with the row that says "sent": each SMS is billed once.
          await tx
            .insert(smsUsage)
            .values({ orgId: msg.orgId, month: berlinMonth(now()), count: 1 })
            .onConflictDoUpdate({ target: [smsUsage.orgId, smsUsage.month], set: { count: sql`${smsUsage.count} + 1` } });
        }
        return rows.length === 1;
      });
      if (done) sent++;
    } catch (e) {
      if (e instanceof TransportConfigError) {
        await db
          .update(outbox)
          .set({ status: 'pending', lockedUntil: null, lastError: e.code, attempts: msg.attempts - 1, nextAttemptAt: new Date(now().getTime() + CONFIG_RETRY_MS) })
          .where(ours);
        continue;
      }
      const permanent = e instanceof TransportError && e.permanent;
      const giveUp = permanent || msg.attempts >= MAX_ATTEMPTS;
      await db
        .update(outbox)
        .set({
          status: giveUp ? 'failed' : 'pending',
          lockedUntil: null,
          lastError: errorCode(e, msg.sealed),
          transport: route.transport.name,
          nextAttemptAt: new Date(now().getTime() + backoffMs(msg.attempts)),
          ...(giveUp && msg.sealed ? redactedColumns : {}),
        })
        .where(ours);
    }
  }
  return sent;
}

/** Sends now whatever of an organisation's channel waits for its settings (called after they were saved). */
export async function resumeWaiting(db: DbOrTx, orgId: string, channel: 'email' | 'sms'): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt: now() })
    .where(and(eq(outbox.orgId, orgId), eq(outbox.channel, channel), eq(outbox.status, 'pending'), sql`${outbox.lastError} is not null`));
}

export async function listOutbox(db: DbOrTx, opts: { orgId?: string; limit?: number } = {}) {
  return db
    .select()
    .from(outbox)
    .where(opts.orgId ? eq(outbox.orgId, opts.orgId) : undefined)
    .orderBy(desc(outbox.createdAt))
    .limit(opts.limit ?? 100);
}

/** Days a finished message (sent, failed, cancelled) stays in the Versandprotokoll; longer than a month, for the monthly quotas. */
export const OUTBOX_KEEP_DAYS = 45;

/** Finished messages are deleted after OUTBOX_KEEP_DAYS; their contents were erased when they finished. */
export async function purgeFinishedOutbox(db: DbOrTx, at: Date = now()): Promise<number> {
  const cutoff = new Date(at.getTime() - OUTBOX_KEEP_DAYS * 86400_000);
  const rows = await db
    .delete(outbox)
    .where(and(inArray(outbox.status, ['sent', 'failed', 'cancelled']), lt(outbox.createdAt, cutoff)))
    .returning({ id: outbox.id });
  return rows.length;
}
