import 'server-only';
import { assertPublicHost, allowPrivateRelays, EgressError } from '@/lib/server/egress';
import { TransportConfigError, TransportError, type SendResult, type Transport } from './transport';

/** One SMS as a gateway sees it: E.164 recipient, text, sender ID, and our id for the provider's log. */
export type SmsToSend = { id: string; to: string; text: string; from: string };

/** The SMS gateway interface: every provider implements this one method. */
export type SmsGateway = { name: string; sendSms(sms: SmsToSend): Promise<SendResult> };

/** Lets the outbox worker deliver SMS rows through a gateway like e-mail through a mail transport. */
export function smsTransport(gateway: SmsGateway): Transport {
  return {
    name: gateway.name,
    send: (msg, from) => gateway.sendSms({ id: msg.id, to: msg.recipient, text: msg.bodyText, from }),
  };
}

/** Development: nothing leaves the machine; the row is marked sent and shown on /app/postausgang. */
export const devSmsGateway: SmsGateway = {
  name: 'dev-outbox-sms',
  async sendSms() {
    return {};
  },
};

export const SEVEN_API_URL = 'https://gateway.seven.io/api/sms';

// seven.io return codes (https://docs.seven.io/en/rest-api/endpoints/sms).
// Refusals that no retry can change are permanent; credit, daily limit,
// carrier and key problems are retried (the practice can fix them meanwhile).
const PERMANENT = new Set(['201', '202', '301', '304', '305', '306', '401']);
// 402: the same text went to the same number within the last 180 s — i.e. an
// earlier attempt of this very message was accepted (its answer got lost).
const ALREADY_SENT = '402';

/**
 * seven.io's HTTP API (a German gateway): POST <apiUrl> with X-Api-Key and a
 * JSON body { to, text, from, foreign_id }. apiUrl is configurable so a test
 * (or a compatible gateway) can stand in for https://gateway.seven.io/api/sms.
 */
export function sevenGateway(cfg: { apiUrl: string; apiKey: string }): SmsGateway {
  return {
    name: 'sms-seven',
    async sendSms(sms) {
      let url: URL;
      try {
        url = new URL(cfg.apiUrl);
      } catch {
        throw new TransportConfigError('sms_url_invalid');
      }
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivateRelays())) throw new TransportConfigError('sms_url_invalid');
      try {
        await assertPublicHost(url.hostname);
      } catch (e) {
        if (e instanceof EgressError && e.code === 'egress_refused') throw new TransportConfigError('sms_host_refused');
        throw new TransportError('sms: dns');
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'X-Api-Key': cfg.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ to: sms.to, text: sms.text, from: sms.from, foreign_id: sms.id }),
          redirect: 'error',
          // Well under the outbox lease of 60 s (see outbox.ts).
          signal: AbortSignal.timeout(20_000),
        });
      } catch (e) {
        throw new TransportError(e instanceof Error && e.name === 'TimeoutError' ? 'sms: timeout' : 'sms: network');
      }
      const raw = await res.text().catch(() => '');
      if (!res.ok) {
        const transient = res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403;
        throw new TransportError(`sms: http ${res.status}`, !transient);
      }
      let body: unknown = raw.trim();
      try {
        body = JSON.parse(raw);
      } catch {
        /* a bare return code such as "900" */
      }
      let code: string;
      let providerMessageId: string | undefined;
      if (typeof body === 'number' || (typeof body === 'string' && /^\d+$/.test(body))) {
        code = String(body);
      } else if (body && typeof body === 'object' && 'success' in body) {
        const b = body as { success: unknown; messages?: { id?: unknown; success?: unknown; error?: unknown }[] };
        code = String(b.success);
        const first = Array.isArray(b.messages) ? b.messages[0] : undefined;
        if (first && typeof first.id === 'string') providerMessageId = first.id;
        else if (first && typeof first.id === 'number') providerMessageId = String(first.id);
        if (code === '101' && first && first.success === false && first.error != null) code = String(first.error);
      } else {
        throw new TransportError('sms: bad_response');
      }
      if (code === '100') return { providerMessageId };
      if (code === ALREADY_SENT) return { providerMessageId: 'seven-reload-lock' };
      throw new TransportError(`sms: seven ${code.slice(0, 8)}`, PERMANENT.has(code));
    },
  };
}
