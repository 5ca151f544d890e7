import 'server-only';
import { and, desc, eq, inArray, lte, or, sql, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { outbox } from '@/lib/db/schema';
import { now } from '@/lib/clock';
import { getConfig } from '@/lib/config';
import { renderTemplate, type Locale, type TemplateName, type TemplateVars } from './templates';
import { devTransport, resendTransport, TransportError, type Transport } from './transport';

export const MAX_ATTEMPTS = 8;

// Messages that carry a one-time secret (an invitation link) keep only a
// placeholder once delivered, so the outbox holds no usable token.
const REDACT_AFTER_SEND = new Set(['member_invitation']);
export const REDACTED_BODY = '[redacted after delivery]';

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

export function defaultTransport(): Transport {
  const cfg = getConfig();
  return cfg.resendApiKey ? resendTransport(cfg.resendApiKey) : devTransport;
}

/** Exponential back-off: 30 s, 1 min, 2 min … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers due messages. Each row is claimed with a lease (locked_until) in one
 * UPDATE … RETURNING, so two workers or instances never send the same message;
 * a crashed worker's lease runs out and the row is retried.
 */
export async function deliverDue(db: DbOrTx, transport: Transport = defaultTransport(), limit = 20): Promise<number> {
  const t = now();
  const lease = new Date(t.getTime() + 60_000);
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
  const from = getConfig().mailFrom;
  let sent = 0;
  for (const msg of claimed) {
    try {
      const res = await transport.send(msg, from);
      await db
        .update(outbox)
        .set({
          status: 'sent',
          sentAt: now(),
          lockedUntil: null,
          lastError: null,
          transport: transport.name,
          providerMessageId: res.providerMessageId ?? null,
          ...(REDACT_AFTER_SEND.has(msg.template) ? { bodyText: REDACTED_BODY, bodyHtml: null } : {}),
        })
        .where(eq(outbox.id, msg.id));
      sent++;
    } catch (e) {
      const permanent = e instanceof TransportError && e.permanent;
      const giveUp = permanent || msg.attempts >= MAX_ATTEMPTS;
      const reason = e instanceof Error ? e.message.slice(0, 200) : 'unknown';
      await db
        .update(outbox)
        .set({
          status: giveUp ? 'failed' : 'pending',
          lockedUntil: null,
          lastError: reason,
          transport: transport.name,
          nextAttemptAt: new Date(now().getTime() + backoffMs(msg.attempts)),
        })
        .where(eq(outbox.id, msg.id));
    }
  }
  return sent;
}

export async function listOutbox(db: DbOrTx, opts: { orgId?: string; limit?: number } = {}) {
  return db
    .select()
    .from(outbox)
    .where(opts.orgId ? eq(outbox.orgId, opts.orgId) : undefined)
    .orderBy(desc(outbox.createdAt))
    .limit(opts.limit ?? 100);
}

