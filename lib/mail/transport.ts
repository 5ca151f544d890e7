import 'server-only';
import type { OutboxMessage } from '@/lib/db/schema';

export type SendResult = { providerMessageId?: string };
export type Transport = { name: string; send(msg: OutboxMessage, from: string): Promise<SendResult> };

export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** Resend's official SDK; RESEND_BASE_URL points it elsewhere (tests). */
export function resendTransport(apiKey: string): Transport {
  return {
    name: 'resend',
    async send(msg, from) {
      const { Resend } = await import('resend');
      const client = new Resend(apiKey);
      const { data, error } = await client.emails.send(
        { from, to: [msg.recipient], subject: msg.subject, text: msg.bodyText, ...(msg.bodyHtml ? { html: msg.bodyHtml } : {}) },
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
