import 'server-only';
import type { ConnectionOptions } from 'node:tls';
import net from 'node:net';
import { assertPublicHost, EgressError } from '@/lib/server/egress';
import { effectiveSecurity, type SmtpSecurity } from './smtp-rules';
import { TransportConfigError, TransportError, type Transport } from './transport';

export type SmtpSettings = {
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string | null;
  password?: string | null;
};

/**
 * Test-only TLS options (a private CA for a local test server). The outbox
 * worker never passes any: production connections always verify the
 * server's certificate against the system trust store.
 */
export type SmtpTestTls = Pick<ConnectionOptions, 'ca'>;

// Well under the outbox lease (60 s), so that one send cannot outlive the
// lease it was claimed with and be taken over and sent a second time.
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

function domainOf(address: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(address);
  return m?.[1] ?? 'konsil.invalid';
}

/** Maps a nodemailer error to a short code; 5xx for the envelope or message is permanent. */
export function smtpError(e: unknown): TransportError {
  const err = e as { code?: string; responseCode?: number; message?: string };
  let code = typeof err?.code === 'string' ? err.code : 'ERROR';
  const msg = typeof err?.message === 'string' ? err.message : '';
  if (/certificate|self[- ]signed|unable to verify/i.test(msg)) code = 'ECERT';
  const rc = typeof err?.responseCode === 'number' ? err.responseCode : undefined;
  const permanent = (code === 'EENVELOPE' || code === 'EMESSAGE') && rc !== undefined && rc >= 500 && rc < 600;
  return new TransportError(`smtp: ${code}${rc ? ` ${rc}` : ''}`, permanent);
}

export function smtpTransport(s: SmtpSettings, test: { tls?: SmtpTestTls } = {}): Transport {
  const mode = effectiveSecurity(s.port, s.security);
  return {
    name: 'smtp',
    async send(msg, from, opts = {}) {
      try {
        await assertPublicHost(s.host);
      } catch (e) {
        if (e instanceof EgressError && e.code === 'egress_refused') throw new TransportConfigError('smtp_host_refused');
        throw new TransportError('smtp: EDNS');
      }
      const nodemailer = (await import('nodemailer')).default;
      const transporter = nodemailer.createTransport({
        host: s.host,
        port: s.port,
        // 465: TLS from the first byte; otherwise STARTTLS is required, and a
        // server that does not offer it is refused (never plain text).
        secure: mode === 'tls',
        requireTLS: mode === 'starttls',
        ignoreTLS: false,
        ...(s.username ? { auth: { user: s.username, pass: s.password ?? '' } } : {}),
        ...TIMEOUTS,
        tls: {
          minVersion: 'TLSv1.2',
          ...(net.isIP(s.host) ? {} : { servername: s.host }),
          ...(test.tls ?? {}),
        },
        disableFileAccess: true,
        disableUrlAccess: true,
        logger: false,
        debug: false,
      });
      try {
        const info = await transporter.sendMail({
          from,
          to: msg.recipient,
          ...(opts.bcc ? { bcc: opts.bcc } : {}),
          ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
          subject: msg.subject,
          text: msg.bodyText,
          ...(msg.bodyHtml ? { html: msg.bodyHtml } : {}),
          // Stable per outbox row, so a receiving system can spot a duplicate.
          messageId: `<konsil-${msg.id}@${domainOf(from)}>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : undefined };
      } catch (e) {
        throw smtpError(e);
      } finally {
        transporter.close();
      }
    },
  };
}
