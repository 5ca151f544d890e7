import 'server-only';
import { and, desc, eq, lte } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { mailSettings, organisations, outbox, smsSettings, smsUsage } from '@/lib/db/schema';
import { isAdmin, requireAdmin, type SessionContext } from '@/lib/auth/sessions';
import { AppError } from '@/lib/core/errors';
import { now } from '@/lib/core/clock';
import { getConfig } from '@/lib/core/config';
import { hasFeature, planOf } from '@/lib/plans/plans';
import { requireFeature } from '@/lib/plans/gate';
import { consume, type Policy } from '@/lib/server/rate-limit';
import { assertPublicHost, EgressError } from '@/lib/server/egress';
import { isSealed, sealString } from '@/lib/server/seal';
import { berlinMonth } from '@/lib/time/berlin';
import { enqueueEmail, resumeWaiting } from './outbox';
import { cancelOutboxMessages, patientSendingUsage, type SendingUsage } from './patient';
import { mailPasswordAd, smsApiKeyAd } from './routing';
import { effectiveSecurity, PASSWORD_VALIDITY, SMTP_PRESETS } from './smtp-rules';
import { renderTestSms } from './patient-templates';
import { SEVEN_API_URL } from './sms-gateway';
import { normalizePhone } from '@/lib/validation/phone';
import type { TMailSettingsInput, TSmsSettingsInput } from './schemas';
import { mailsStallingAfterExpiry } from './smtp-expiry';

/** Test messages per organisation: enough to try a few settings, not enough to spam. */
const TEST_POLICY: Policy = { max: 10, windowSeconds: 60 * 60, lockSeconds: 60 * 60, code: 'rate_limited' };

// ---------------------------------------------------------------------------
// Einstellungen → E-Mail
// ---------------------------------------------------------------------------

export type MailSettingsView = {
  transport: 'konsil' | 'smtp';
  smtpHost: string;
  smtpPort: number | null;
  smtpSecurity: 'auto' | 'tls' | 'starttls';
  effectiveSecurity: 'tls' | 'starttls' | null;
  fromAddress: string;
  username: string;
  bcc: string;
  hasPassword: boolean;
  passwordExpiresAt: string | null;
  orgEmail: string;
  /** Konsil sends paid messages only once the organisation's address is confirmed. */
  orgEmailConfirmed: boolean;
  canEdit: boolean;
  patientEmailAllowed: boolean;
  presets: typeof SMTP_PRESETS;
  /** Patient e-mails queued in the last hour and this month, against the plan's quota. */
  quota: SendingUsage;
  /** Pending patient e-mails due after the stored SMTP password expires (they would wait for a new one). */
  stallingAfterExpiry: number;
};

async function loadMail(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({ s: mailSettings, orgEmail: organisations.email, orgName: organisations.name, plan: organisations.plan, confirmedAt: organisations.emailConfirmedAt })
    .from(organisations)
    .leftJoin(mailSettings, eq(mailSettings.orgId, organisations.id))
    .where(eq(organisations.id, orgId));
  if (!row) throw new AppError('not_found');
  return row;
}

function passwordValid(s: { passwordSealed: string | null; passwordExpiresAt: Date | null } | null): boolean {
  return !!s?.passwordSealed && !!s.passwordExpiresAt && s.passwordExpiresAt > now();
}

export async function getMailSettings(db: DbOrTx, session: SessionContext): Promise<MailSettingsView> {
  const { s, orgEmail, plan, confirmedAt } = await loadMail(db, session.orgId);
  const security = s?.smtpSecurity === 'tls' || s?.smtpSecurity === 'starttls' ? s.smtpSecurity : 'auto';
  const valid = passwordValid(s);
  return {
    transport: s?.transport ?? 'konsil',
    smtpHost: s?.smtpHost ?? '',
    smtpPort: s?.smtpPort ?? null,
    smtpSecurity: security,
    effectiveSecurity: s?.smtpPort ? effectiveSecurity(s.smtpPort, security) : null,
    fromAddress: s?.fromAddress ?? '',
    username: s?.username ?? '',
    bcc: s?.bcc ?? '',
    hasPassword: valid,
    passwordExpiresAt: valid ? s!.passwordExpiresAt!.toISOString() : null,
    orgEmail,
    orgEmailConfirmed: confirmedAt !== null,
    canEdit: isAdmin(session),
    patientEmailAllowed: hasFeature(plan, 'emailInvitation'),
    presets: SMTP_PRESETS,
    quota: await patientSendingUsage(db, session.orgId, 'email'),
    stallingAfterExpiry: (await mailsStallingAfterExpiry(db, session.orgId, s ?? null))?.count ?? 0,
  };
}

/** Refuses a relay host that resolves into the operator's own network (field error, not a 500). */
async function assertRelayHost(host: string, field: string): Promise<void> {
  try {
    await assertPublicHost(host);
  } catch (e) {
    // A name that does not resolve yet is accepted; sending will report it.
    if (e instanceof EgressError && e.code === 'egress_refused') throw new AppError('validation', { fields: { [field]: 'notAllowed' } });
  }
}

/**
 * Saves the mail settings. An entered SMTP password is sealed under the
 * server key and kept until the chosen expiry (24 h by default, at most 30
 * days); it is dropped when host, port or user name change, so a changed
 * host can never receive the stored password, and when switching to Konsil.
 */
export async function saveMailSettings(db: DbOrTx, session: SessionContext, input: TMailSettingsInput): Promise<MailSettingsView> {
  requireAdmin(session);
  const { s: old } = await loadMail(db, session.orgId);
  const smtp = input.transport === 'smtp';
  if (smtp) await assertRelayHost(input.smtpHost, 'smtpHost');
  const username = smtp ? input.username || null : null;
  const sameTarget = !!old && old.smtpHost === input.smtpHost && old.smtpPort === input.smtpPort && (old.username ?? null) === username;
  let passwordSealed: string | null = smtp && sameTarget && !input.clearPassword ? (old?.passwordSealed ?? null) : null;
  let passwordExpiresAt: Date | null = passwordSealed ? (old?.passwordExpiresAt ?? null) : null;
  if (smtp && username && input.password) {
    passwordSealed = sealString(input.password, mailPasswordAd(session.orgId));
    passwordExpiresAt = new Date(now().getTime() + PASSWORD_VALIDITY[input.passwordValidity] * 3600_000);
  }
  const values = {
    transport: input.transport,
    smtpHost: smtp ? input.smtpHost : old?.smtpHost ?? null,
    smtpPort: smtp ? input.smtpPort : old?.smtpPort ?? null,
    smtpSecurity: smtp ? input.smtpSecurity : old?.smtpSecurity ?? 'auto',
    fromAddress: smtp ? input.fromAddress : old?.fromAddress ?? null,
    username: smtp ? username : old?.username ?? null,
    bcc: input.bcc || null,
    passwordSealed,
    passwordExpiresAt,
    updatedAt: now(),
  };
  await db
    .insert(mailSettings)
    .values({ orgId: session.orgId, ...values })
    .onConflictDoUpdate({ target: mailSettings.orgId, set: values });
  await resumeWaiting(db, session.orgId, 'email');
  return getMailSettings(db, session);
}

/** Puts a test e-mail into the outbox, to the organisation's contact address or `to`. */
export async function sendTestEmail(db: DbOrTx, session: SessionContext, input: { to: string; locale: 'de' | 'en' }): Promise<{ id: string }> {
  requireAdmin(session);
  const { s, orgEmail, orgName } = await loadMail(db, session.orgId);
  if (s?.transport === 'smtp') {
    if (!s.smtpHost || !s.smtpPort || !s.fromAddress) throw new AppError('smtp_incomplete');
    if (s.username && !passwordValid(s)) throw new AppError('smtp_password_missing');
  }
  await consume(db, `messaging-test:${session.orgId}`, TEST_POLICY);
  const id = await enqueueEmail(db, {
    orgId: session.orgId,
    to: input.to || orgEmail,
    locale: input.locale,
    template: 'test_email',
    vars: { orgName, via: s?.transport === 'smtp' ? 'smtp' : 'konsil' },
  });
  return { id };
}

/** Erases SMTP passwords past their expiry (run by the server's purge timer). */
export async function purgeExpiredSmtpPasswords(db: DbOrTx): Promise<void> {
  await db
    .update(mailSettings)
    .set({ passwordSealed: null, passwordExpiresAt: null })
    .where(lte(mailSettings.passwordExpiresAt, now()));
}

// ---------------------------------------------------------------------------
// Einstellungen → SMS
// ---------------------------------------------------------------------------

export type SmsSettingsView = {
  provider: 'konsil' | 'http';
  apiUrl: string;
  defaultApiUrl: string;
  hasApiKey: boolean;
  sender: string;
  defaultSender: string;
  konsilGateway: boolean;
  canEdit: boolean;
  smsAllowed: boolean;
  usage: { month: string; count: number }[];
  smsCents: number;
  /** Patient SMS queued in the last hour and this month, against the plan's quota. */
  quota: SendingUsage;
};

export async function getSmsSettings(db: DbOrTx, session: SessionContext): Promise<SmsSettingsView> {
  const [org] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, session.orgId));
  if (!org) throw new AppError('not_found');
  const [s] = await db.select().from(smsSettings).where(eq(smsSettings.orgId, session.orgId));
  const usage = await db
    .select({ month: smsUsage.month, count: smsUsage.count })
    .from(smsUsage)
    .where(eq(smsUsage.orgId, session.orgId))
    .orderBy(desc(smsUsage.month))
    .limit(12);
  const cfg = getConfig();
  return {
    provider: s?.provider ?? 'konsil',
    apiUrl: s?.apiUrl ?? '',
    defaultApiUrl: SEVEN_API_URL,
    hasApiKey: isSealed(s?.apiKeySealed),
    sender: s?.sender ?? '',
    defaultSender: cfg.smsFrom,
    konsilGateway: !!cfg.smsApiKey || cfg.devOutbox,
    canEdit: isAdmin(session),
    smsAllowed: hasFeature(org.plan, 'smsInvitation'),
    usage,
    smsCents: planOf('plus').smsCents,
    quota: await patientSendingUsage(db, session.orgId, 'sms'),
  };
}

export async function saveSmsSettings(db: DbOrTx, session: SessionContext, input: TSmsSettingsInput): Promise<SmsSettingsView> {
  requireAdmin(session);
  await requireFeature(db, session.orgId, 'smsInvitation');
  const [old] = await db.select().from(smsSettings).where(eq(smsSettings.orgId, session.orgId));
  const http = input.provider === 'http';
  if (http) await assertRelayHost(new URL(input.apiUrl).hostname, 'apiUrl');
  // A key is only ever sent to the URL it was entered for.
  let apiKeySealed = !input.clearApiKey && old?.apiUrl === input.apiUrl ? (old?.apiKeySealed ?? null) : null;
  if (input.apiKey) apiKeySealed = sealString(input.apiKey, smsApiKeyAd(session.orgId));
  if (http && !apiKeySealed) throw new AppError('validation', { fields: { apiKey: 'required' } });
  const values = {
    provider: input.provider,
    apiUrl: http ? input.apiUrl : old?.apiUrl ?? null,
    apiKeySealed: http ? apiKeySealed : input.clearApiKey ? null : (old?.apiKeySealed ?? null),
    sender: input.sender || null,
    updatedAt: now(),
  };
  await db
    .insert(smsSettings)
    .values({ orgId: session.orgId, ...values })
    .onConflictDoUpdate({ target: smsSettings.orgId, set: values });
  await resumeWaiting(db, session.orgId, 'sms');
  return getSmsSettings(db, session);
}

/** Puts a test SMS into the outbox; it is sent and counted (billed) like any other SMS. */
export async function sendTestSms(db: DbOrTx, session: SessionContext, input: { to: string; locale: 'de' | 'en' }): Promise<{ id: string }> {
  requireAdmin(session);
  await requireFeature(db, session.orgId, 'smsInvitation');
  const p = normalizePhone(input.to, { countries: getConfig().smsCountries });
  if (!p.ok) throw new AppError('validation', { fields: { to: p.error } });
  const [s] = await db.select().from(smsSettings).where(eq(smsSettings.orgId, session.orgId));
  const cfg = getConfig();
  if (s?.provider === 'http' ? !s.apiKeySealed || !s.apiUrl : !cfg.smsApiKey && !cfg.devOutbox) throw new AppError('sms_not_configured');
  await consume(db, `messaging-test:${session.orgId}`, TEST_POLICY);
  const [row] = await db
    .insert(outbox)
    .values({
      orgId: session.orgId,
      channel: 'sms',
      template: 'test_sms',
      recipient: p.e164,
      subject: '',
      bodyText: renderTestSms(input.locale, session.orgName),
      nextAttemptAt: now(),
    })
    .returning({ id: outbox.id });
  return { id: row.id };
}

// ---------------------------------------------------------------------------
// Versandprotokoll
// ---------------------------------------------------------------------------

export type DeliveryLogEntry = {
  id: string;
  createdAt: string;
  channel: 'email' | 'sms';
  template: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  nextAttemptAt: string;
  sealed: boolean;
};

/**
 * The organisation's messages without recipient, subject or text: what was
 * sent when, by which channel, and whether it worked.
 */
export async function listDeliveryLog(db: DbOrTx, session: SessionContext, opts: { id?: string; limit?: number } = {}): Promise<DeliveryLogEntry[]> {
  const rows = await db
    .select({
      id: outbox.id,
      createdAt: outbox.createdAt,
      channel: outbox.channel,
      template: outbox.template,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      sentAt: outbox.sentAt,
      nextAttemptAt: outbox.nextAttemptAt,
      sealed: outbox.sealed,
    })
    .from(outbox)
    .where(and(eq(outbox.orgId, session.orgId), opts.id ? eq(outbox.id, opts.id) : undefined))
    .orderBy(desc(outbox.createdAt))
    .limit(Math.min(opts.limit ?? 200, 500));
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
  }));
}

export async function cancelDelivery(db: DbOrTx, session: SessionContext, id: string): Promise<void> {
  requireAdmin(session);
  const n = await cancelOutboxMessages(db, { orgId: session.orgId, ids: [id] });
  if (n === 0) {
    const [row] = await db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.id, id), eq(outbox.orgId, session.orgId)));
    throw new AppError(row ? 'conflict' : 'not_found');
  }
}

/** SMS counted for invoicing in one month (Europe/Berlin). */
export async function smsCountForMonth(db: DbOrTx, orgId: string, month = berlinMonth(now())): Promise<number> {
  const [row] = await db
    .select({ count: smsUsage.count })
    .from(smsUsage)
    .where(and(eq(smsUsage.orgId, orgId), eq(smsUsage.month, month)));
  return row?.count ?? 0;
}
