import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { mailSettings, organisations, smsSettings, type OutboxMessage } from '@/lib/db/schema';
import { getConfig } from '@/lib/core/config';
import { now } from '@/lib/core/clock';
import { openString, SealError } from '@/lib/server/seal';
import { devSmsGateway, sevenGateway, SEVEN_API_URL, smsTransport } from './sms-gateway';
import { smtpTransport, type SmtpTestTls } from './smtp';
import { devTransport, resendTransport, TransportConfigError, type SendOptions, type Transport } from './transport';

/** Which transport sends one message, as whom, with which extras. */
export type Route = { transport: Transport; from: string; opts?: SendOptions };
export type TransportResolver = (db: DbOrTx, msg: OutboxMessage) => Promise<Route>;

/**
 * Messages that go out through the organisation's own choice of transport
 * (Einstellungen → E-Mail / SMS). Konsil's own notices to the practice
 * (registration, devices, members, recovery) always come from Konsil, so a
 * missing SMTP password can never hold back a security notice.
 */
export const ORG_ROUTED_TEMPLATES = new Set(['patient_invitation', 'patient_reminder', 'test_email', 'test_sms']);

/** Codes of TransportConfigError: the message waits for the practice to fix its settings. */
export const CONFIG_WAIT_CODES = [
  'smtp_incomplete',
  'smtp_password_missing',
  'smtp_password_expired',
  'smtp_password_unreadable',
  'smtp_host_refused',
  'sms_credentials_missing',
  'sms_credentials_unreadable',
  'sms_url_invalid',
  'sms_host_refused',
  'sms_gateway_missing',
] as const;

export const mailPasswordAd = (orgId: string) => `mail_settings:${orgId}:smtp_password`;
export const smsApiKeyAd = (orgId: string) => `sms_settings:${orgId}:api_key`;

export function defaultEmailTransport(): Transport {
  const cfg = getConfig();
  return cfg.resendApiKey ? resendTransport(cfg.resendApiKey) : devTransport;
}

/** Konsil's own SMS account if configured; the dev outbox where that page exists; otherwise nothing. */
export function defaultSmsTransport(): Transport {
  const cfg = getConfig();
  if (cfg.smsApiKey) return smsTransport(sevenGateway({ apiUrl: cfg.smsApiUrl ?? SEVEN_API_URL, apiKey: cfg.smsApiKey }));
  if (cfg.devOutbox) return smsTransport(devSmsGateway);
  throw new TransportConfigError('sms_gateway_missing');
}

/** `"Praxis Dr. Müller" <praxis@example.de>` with the display name made header-safe. */
export function formatFrom(name: string, address: string): string {
  const safe = name.replace(/[\r\n"\\<>]/g, '').trim();
  return safe ? `"${safe}" <${address}>` : address;
}

/**
 * The worker's transport choice per message. `test.smtpTls` lets a test
 * trust its own local CA; nothing in the application passes it.
 */
export function createTransportResolver(test: { smtpTls?: SmtpTestTls } = {}): TransportResolver {
  return async (db, msg) => {
    const cfg = getConfig();
    const orgRouted = msg.orgId !== null && ORG_ROUTED_TEMPLATES.has(msg.template);
    if (msg.channel === 'sms') {
      let sender = cfg.smsFrom;
      if (msg.orgId) {
        const [s] = await db.select().from(smsSettings).where(eq(smsSettings.orgId, msg.orgId));
        if (s?.sender) sender = s.sender;
        if (s?.provider === 'http') {
          if (!s.apiKeySealed || !s.apiUrl) throw new TransportConfigError('sms_credentials_missing');
          let apiKey: string;
          try {
            apiKey = openString(s.apiKeySealed, smsApiKeyAd(msg.orgId));
          } catch (e) {
            if (e instanceof SealError) throw new TransportConfigError('sms_credentials_unreadable');
            throw e;
          }
          return { transport: smsTransport(sevenGateway({ apiUrl: s.apiUrl, apiKey })), from: sender };
        }
      }
      return { transport: defaultSmsTransport(), from: sender };
    }
    if (!orgRouted) return { transport: defaultEmailTransport(), from: cfg.mailFrom };
    const [row] = await db
      .select({ settings: mailSettings, orgName: organisations.name, orgEmail: organisations.email })
      .from(organisations)
      .leftJoin(mailSettings, eq(mailSettings.orgId, organisations.id))
      .where(eq(organisations.id, msg.orgId!));
    const s = row?.settings;
    if (s?.transport === 'smtp') {
      if (!s.smtpHost || !s.smtpPort || !s.fromAddress) throw new TransportConfigError('smtp_incomplete');
      let password: string | null = null;
      if (s.username) {
        if (!s.passwordSealed) throw new TransportConfigError('smtp_password_missing');
        if (!s.passwordExpiresAt || s.passwordExpiresAt <= now()) throw new TransportConfigError('smtp_password_expired');
        try {
          password = openString(s.passwordSealed, mailPasswordAd(msg.orgId!));
        } catch (e) {
          if (e instanceof SealError) throw new TransportConfigError('smtp_password_unreadable');
          throw e;
        }
      }
      const security = s.smtpSecurity === 'tls' || s.smtpSecurity === 'starttls' ? s.smtpSecurity : 'auto';
      return {
        transport: smtpTransport({ host: s.smtpHost, port: s.smtpPort, security, username: s.username, password }, { tls: test.smtpTls }),
        from: formatFrom(row!.orgName, s.fromAddress),
        opts: s.bcc ? { bcc: s.bcc } : {},
      };
    }
    // Sent by Konsil on the practice's behalf: the practice's name is shown
    // (with Konsil's verified address) and replies go to the practice.
    const konsilAddress = /<([^>]+)>/.exec(cfg.mailFrom)?.[1] ?? cfg.mailFrom;
    return {
      transport: defaultEmailTransport(),
      from: row?.orgName ? formatFrom(`${row.orgName} via Konsil`, konsilAddress) : cfg.mailFrom,
      opts: { ...(s?.bcc ? { bcc: s.bcc } : {}), ...(row?.orgEmail ? { replyTo: row.orgEmail } : {}) },
    };
  };
}
