import 'server-only';
import { and, eq, gte, isNotNull, like, or, isNull, ne, sql, gt } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { mailSettings, organisations, outbox } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { getConfig } from '@/lib/core/config';
import { enqueueEmail } from './outbox';

// Konsil keeps a practice's SMTP password only until the expiry the practice
// chose (24 hours by default). Patient e-mails due after it would wait for a
// new password; the admins are told before that happens — in the app at once,
// and by an e-mail from Konsil (job smtp-expiry) once per expiry.

/** Patient e-mails through the practice's own relay that are due only after its stored password expires. */
export async function mailsStallingAfterExpiry(
  db: DbOrTx,
  orgId: string,
  loaded?: Pick<typeof mailSettings.$inferSelect, 'transport' | 'username' | 'passwordExpiresAt'> | null,
): Promise<{ expiresAt: Date; count: number } | null> {
  // The settings row when the caller has it already (the settings page), else read here.
  const s = loaded !== undefined ? loaded : (await db.select().from(mailSettings).where(eq(mailSettings.orgId, orgId)))[0];
  if (s?.transport !== 'smtp' || !s.username || !s.passwordExpiresAt) return null;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(
      and(
        eq(outbox.orgId, orgId),
        eq(outbox.channel, 'email'),
        eq(outbox.status, 'pending'),
        like(outbox.template, 'patient_%'),
        gte(outbox.nextAttemptAt, s.passwordExpiresAt),
      ),
    );
  return { expiresAt: s.passwordExpiresAt, count: Number(row?.n ?? 0) };
}

function berlin(d: Date, locale: 'de' | 'en'): string {
  const f = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' }).format(d);
  return locale === 'de' ? `${f} Uhr` : `${f} (German time)`;
}

/** Tells each organisation once per expiry, by e-mail from Konsil, that messages would stall. Returns how many were told. */
export async function notifySmtpExpiry(db: DbOrTx): Promise<number> {
  const candidates = await db
    .select({ orgId: mailSettings.orgId, expiresAt: mailSettings.passwordExpiresAt, orgName: organisations.name, email: organisations.email, locale: organisations.locale })
    .from(mailSettings)
    .innerJoin(organisations, eq(organisations.id, mailSettings.orgId))
    .where(
      and(
        eq(mailSettings.transport, 'smtp'),
        isNotNull(mailSettings.username),
        gt(mailSettings.passwordExpiresAt, now()),
        or(isNull(mailSettings.expiryNotifiedFor), ne(mailSettings.expiryNotifiedFor, mailSettings.passwordExpiresAt)),
      ),
    );
  let told = 0;
  for (const c of candidates) {
    const stalling = await mailsStallingAfterExpiry(db, c.orgId);
    if (!stalling?.count) continue;
    const locale = c.locale === 'en' ? 'en' : 'de';
    await enqueueEmail(db, {
      orgId: c.orgId,
      to: c.email,
      locale,
      template: 'smtp_password_expiring',
      vars: { orgName: c.orgName, expiresAt: berlin(stalling.expiresAt, locale), count: stalling.count, settingsUrl: `${getConfig().appUrl}/app/einstellungen/email` },
    });
    await db.update(mailSettings).set({ expiryNotifiedFor: stalling.expiresAt }).where(eq(mailSettings.orgId, c.orgId));
    told++;
  }
  return told;
}
