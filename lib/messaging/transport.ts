import 'server-only';
import type { OutboxMessage } from '@/lib/db/schema';

export type SendResult = { providerMessageId?: string };
/** Per-organisation extras: an archive copy and where replies go. */
export type SendOptions = { bcc?: string; replyTo?: string };
export type Transport = { name: string; send(msg: OutboxMessage, from: string, opts?: SendOptions): Promise<SendResult> };

/**
 * A delivery failure. Its message is stored as the outbox row's last_error,
 * so it must be a short code ("smtp: EENVELOPE 550"), never a provider's prose
 * (which may quote the recipient).
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/**
 * The organisation's chosen transport cannot be used yet (e.g. its SMTP
 * password is missing or expired). The message stays pending, is retried
 * later, and this does not count as a delivery attempt; it never falls back
 * to another transport.
 */
export class TransportConfigError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'TransportConfigError';
  }
}

/** Resend's official SDK; RESEND_BASE_URL points it elsewhere (tests). */
export function resendTransport(apiKey: string): Transport {
  return {
    name: 'resend',
    async send(msg, from, opts = {}) {
      const { Resend } = await import('resend');
      const client = new Resend(apiKey);
      const { data, error } = await client.emails.send(
        {
          from,
          to: [msg.recipient],
          subject: msg.subject,
          text: msg.bodyText,
          ...(msg.bodyHtml ? { html: msg.bodyHtml } : {}),
          ...(opts.bcc ? { bcc: [opts.bcc] } : {}),
          ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
        },
        { idempotencyKey: `konsil-outbox-${msg.id}` },
      );
      if (error) {
        const permanent = ['validation_error', 'invalid_from_address', 'invalid_to_address'].includes(String(error.name));
        throw new TransportError(`resend: ${error.name}`, permanent);
      }
      return { providerMessageId: data?.id };
    },
  };
}

/** Development outbox: the message stays in the table and is shown on /app/postausgang. */
export const devTransport: Transport = {
  name: 'dev-outbox',
  async send() {
    return {};
  },
};
