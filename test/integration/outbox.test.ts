// The mail outbox (lib/messaging/outbox.ts, lib/messaging/transport.ts) on PostgreSQL and PGlite.
//
// Time: every test pins the clock to its own instant in 2001 and enqueues its
// messages there. deliverDue only picks messages with next_attempt_at <= now,
// so the (many, real-time) messages other tests left in the shared database
// are never due here, and back-off is passed by moving the pinned clock.
// Transports still count every call per id and only assertions on the
// test's own ids are made.
import { BACKENDS, resetClock, short } from './helpers';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { outbox } from '@/lib/db/schema';
import { backoffMs, deliverDue, enqueueEmail, MAX_ATTEMPTS, REDACTED_BODY } from '@/lib/messaging/outbox';
import { resendTransport, TransportError, type Transport } from '@/lib/messaging/transport';
import { getConfig } from '@/lib/core/config';
import { setClock } from '@/lib/core/clock';

let instant = Date.UTC(2001, 0, 1);
/** A fresh pinned instant, a day after the previous one. */
function pinClock(): number {
  instant += 86400_000;
  setClock({ fixed: new Date(instant) });
  return instant;
}
const at = (ms: number) => setClock({ fixed: new Date(ms) });

async function enqueue(db: Db, to = `${short('empfang')}@praxis.example`) {
  const id = await enqueueEmail(db, {
    orgId: null,
    to,
    locale: 'de',
    template: 'password_recovered',
    vars: { orgName: 'Praxis Dr. Müller', userShortName: 'anna' },
  });
  return { id, to };
}

async function row(db: Db, id: string) {
  const [r] = await db.select().from(outbox).where(eq(outbox.id, id));
  return r;
}

/** A transport that records calls per message id and delegates the outcome. */
function countingTransport(name: string, outcome: (id: string, n: number) => Promise<void> | void) {
  const calls = new Map<string, number>();
  const t: Transport = {
    name,
    async send(msg) {
      const n = (calls.get(msg.id) ?? 0) + 1;
      calls.set(msg.id, n);
      await outcome(msg.id, n);
      return { providerMessageId: `${name}-${msg.id}` };
    },
  };
  return { t, calls };
}

describe.each(BACKENDS)('outbox on %s', (backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterAll(async () => {
    await close?.();
  });
  afterEach(() => resetClock());

  it('retries a transient failure with back-off and delivers exactly once', async () => {
    const t0 = pinClock();
    const { id } = await enqueue(db);
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: new Date(t0) });

    const { t, calls } = countingTransport('flaky', (mid, n) => {
      if (mid === id && n <= 2) throw new Error(`temporary failure ${n}`);
    });

    await deliverDue(db, t, 1000);
    expect(await row(db, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'temporary failure 1',
      lockedUntil: null,
      transport: 'flaky',
      nextAttemptAt: new Date(t0 + backoffMs(1)),
    });
    // Not due yet: the transport is not asked again.
    at(t0 + backoffMs(1) - 1000);
    await deliverDue(db, t, 1000);
    expect(calls.get(id)).toBe(1);

    const t1 = t0 + backoffMs(1);
    at(t1);
    await deliverDue(db, t, 1000);
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 2, lastError: 'temporary failure 2', nextAttemptAt: new Date(t1 + backoffMs(2)) });
    expect(backoffMs(2)).toBe(2 * backoffMs(1));

    const t2 = t1 + backoffMs(2);
    at(t2);
    await deliverDue(db, t, 1000);
    expect(await row(db, id)).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: null,
      lockedUntil: null,
      sentAt: new Date(t2),
      transport: 'flaky',
      providerMessageId: `flaky-${id}`,
    });

    at(t2 + 24 * 3600_000);
    await deliverDue(db, t, 1000);
    expect(calls.get(id)).toBe(3);
  });

  it('marks a permanent transport error as failed without retrying', async () => {
    const t0 = pinClock();
    const { id } = await enqueue(db);
    const { t, calls } = countingTransport('strict', (mid) => {
      if (mid === id) throw new TransportError('invalid recipient', true);
    });
    expect(await deliverDue(db, t, 1000)).toBe(0);
    expect(await row(db, id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'invalid recipient', lockedUntil: null });
    at(t0 + 7 * 86400_000);
    await deliverDue(db, t, 1000);
    expect(calls.get(id)).toBe(1);
    expect((await row(db, id)).status).toBe('failed');
  });

  it(`gives up after ${MAX_ATTEMPTS} transient failures`, async () => {
    let t = pinClock();
    const { id } = await enqueue(db);
    const { t: transport, calls } = countingTransport('down', (mid) => {
      if (mid === id) throw new Error('provider down');
    });
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      await deliverDue(db, transport, 1000);
      const r = await row(db, id);
      expect(r.attempts).toBe(i);
      expect(r.status).toBe(i < MAX_ATTEMPTS ? 'pending' : 'failed');
      t += backoffMs(i);
      at(t);
    }
    at(t + 86400_000);
    await deliverDue(db, transport, 1000);
    expect(calls.get(id)).toBe(MAX_ATTEMPTS);
  });

  it("takes over a crashed worker's message once its lease has run out, not before", async () => {
    const t0 = pinClock();
    const stale = await enqueue(db);
    const live = await enqueue(db);
    // As if another worker had claimed both and died (stale) or is still busy (live).
    await db.update(outbox).set({ status: 'sending', attempts: 1, lockedUntil: new Date(t0 - 1000) }).where(eq(outbox.id, stale.id));
    await db.update(outbox).set({ status: 'sending', attempts: 1, lockedUntil: new Date(t0 + 30_000) }).where(eq(outbox.id, live.id));
    const { t, calls } = countingTransport('ok', () => {});
    await deliverDue(db, t, 1000);
    expect(await row(db, stale.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(calls.get(live.id)).toBeUndefined();
    expect((await row(db, live.id)).status).toBe('sending');
    // Once that lease has run out, the message is taken over as well.
    at(t0 + 30_001);
    await deliverDue(db, t, 1000);
    expect(await row(db, live.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(calls.get(stale.id)).toBe(1);
  });

  // PGlite is a single connection inside this process: two deliverDue calls
  // cannot run their claiming UPDATEs concurrently there, so the test would
  // not exercise row locking at all. It runs on PostgreSQL only.
  it.skipIf(backend === 'pglite')('two concurrent workers send every message exactly once', async () => {
    pinClock();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await enqueue(db)).id);
    const { t, calls } = countingTransport('slow', () => new Promise((r) => setTimeout(r, 25)));
    const [n1, n2] = await Promise.all([deliverDue(db, t, 1000), deliverDue(db, t, 1000)]);
    for (const id of ids) expect(calls.get(id), `transport calls for ${id}`).toBe(1);
    expect(n1 + n2).toBeGreaterThanOrEqual(ids.length);
    const rows = await db.select().from(outbox).where(inArray(outbox.id, ids));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // Nothing is left to send.
    await deliverDue(db, t, 1000);
    for (const id of ids) expect(calls.get(id)).toBe(1);
  });

  describe('resendTransport against a local HTTP server', () => {
    type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };
    let server: http.Server;
    let seen: Seen[];
    // Scripted replies per recipient; anything else (messages of other tests) gets a 200.
    let replies: Map<string, { status: number; body: string }[]>;
    const savedBaseUrl = process.env.RESEND_BASE_URL;

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let data = '';
        req.on('data', (c) => (data += c));
        req.on('end', () => {
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(data);
          } catch {
            /* recorded as {} */
          }
          seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
          const to = Array.isArray(body.to) ? String(body.to[0]) : '';
          const reply = replies.get(to)?.shift() ?? { status: 200, body: JSON.stringify({ id: 're_default' }) };
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      // Read by the Resend client's constructor, i.e. on every send.
      process.env.RESEND_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      if (savedBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
      else process.env.RESEND_BASE_URL = savedBaseUrl;
      await new Promise((r) => server.close(r));
    });

    it('posts to /emails with the API key and an idempotency key; a 500 is retried, a later success marks it sent', async () => {
      const t0 = pinClock();
      const { id, to } = await enqueue(db);
      seen = [];
      replies = new Map([
        [
          to,
          [
            { status: 500, body: JSON.stringify({ statusCode: 500, name: 'internal_server_error', message: 'Something broke' }) },
            { status: 200, body: JSON.stringify({ id: 're_msg_123' }) },
          ],
        ],
      ]);
      const msg = await row(db, id);
      const transport = resendTransport('re_test_key_123');

      await deliverDue(db, transport, 1000);
      expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, transport: 'resend', lastError: 'resend: internal_server_error', sentAt: null });

      at(t0 + backoffMs(1));
      await deliverDue(db, transport, 1000);
      expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: 're_msg_123', lastError: null });

      const mine = seen.filter((r) => Array.isArray(r.body.to) && r.body.to[0] === to);
      expect(mine).toHaveLength(2);
      for (const req of mine) {
        expect(req.method).toBe('POST');
        expect(req.url).toBe('/emails');
        expect(req.headers.authorization).toBe('Bearer re_test_key_123');
        expect(req.headers['content-type']).toMatch(/^application\/json/);
        // The same key on the retry, so the provider can drop a duplicate.
        expect(req.headers['idempotency-key']).toBe(`konsil-outbox-${id}`);
        expect(req.body).toMatchObject({ from: getConfig().mailFrom, to: [to], subject: msg.subject, text: msg.bodyText });
        expect(req.body.html).toBeUndefined();
      }
    });

    it('a response that is not JSON is retried; a validation error fails for good', async () => {
      const t0 = pinClock();
      const { id, to } = await enqueue(db);
      seen = [];
      replies = new Map([
        [
          to,
          [
            { status: 502, body: '<html>Bad gateway</html>' },
            { status: 422, body: JSON.stringify({ statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' }) },
          ],
        ],
      ]);
      const transport = resendTransport('re_test_key_456');
      await deliverDue(db, transport, 1000);
      expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'resend: application_error' });
      at(t0 + backoffMs(1));
      await deliverDue(db, transport, 1000);
      expect(await row(db, id)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'resend: validation_error' });
      at(t0 + 86400_000);
      await deliverDue(db, transport, 1000);
      expect(seen.filter((r) => Array.isArray(r.body.to) && r.body.to[0] === to)).toHaveLength(2);
    });
  });

  it('an invitation mail keeps no usable link once delivered; other mails keep their text', async () => {
    pinClock();
    const inviteUrl = `https://konsil.example/invite#${short('token')}${short('x')}`;
    const invite = await enqueueEmail(db, {
      orgId: null,
      to: `${short('neu')}@praxis.example`,
      locale: 'de',
      template: 'member_invitation',
      vars: { orgName: 'Praxis Dr. Müller', inviteUrl },
    });
    const plain = await enqueue(db);
    const bodies = new Map<string, string>();
    const t: Transport = {
      name: 'capture',
      async send(msg) {
        bodies.set(msg.id, msg.bodyText);
        return {};
      },
    };
    expect((await row(db, invite)).bodyText).toContain(inviteUrl);
    await deliverDue(db, t, 1000);
    // The provider got the link …
    expect(bodies.get(invite)).toContain(inviteUrl);
    // … the outbox no longer has it.
    const sent = await row(db, invite);
    expect(sent.status).toBe('sent');
    expect(sent.bodyText).toBe(REDACTED_BODY);
    expect(sent.bodyHtml).toBeNull();
    expect(JSON.stringify(sent)).not.toContain(inviteUrl);
    const other = await row(db, plain.id);
    expect(other.status).toBe('sent');
    expect(other.bodyText).toBe(bodies.get(plain.id));
    expect(other.bodyText).not.toBe(REDACTED_BODY);
  });

  it('enqueueEmail renders the template into a pending, due row', async () => {
    pinClock();
    const { id, to } = await enqueue(db);
    const r = await row(db, id);
    expect(r).toMatchObject({ channel: 'email', template: 'password_recovered', recipient: to, orgId: null });
    expect(r.subject.length).toBeGreaterThan(0);
    expect(r.bodyText).toContain('anna');
    expect(r).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null, sentAt: null });
  });
});
