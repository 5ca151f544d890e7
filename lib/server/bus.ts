import 'server-only';
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';

// Real-time fan-out for signalling and waiting rooms. On PostgreSQL every
// event goes through NOTIFY on one channel and each instance LISTENs once, so
// browsers attached to different instances see the same events. The embedded
// PGlite database is single-process by design: there an in-process emitter is
// the whole bus.

export const PG_CHANNEL = 'konsil_rt';

export type BusEvent =
  | { kind: 'signal'; id: number; to: 'host' | 'patient' }
  | {
      kind: 'participant';
      role: 'host' | 'patient';
      participantId: string;
      state: 'waiting' | 'admitted' | 'left' | 'online' | 'offline';
      /** For a host entering: as a signed-in member (named) or by the doctor code. */
      via?: 'member' | 'code';
      hostShortName?: string | null;
    }
  | { kind: 'appointment'; state: 'cancelled' | 'changed' }
  | { kind: 'waiting'; appointmentId: string }
  /** A study arrived in a mailbox, or its receipts changed (to the recipient and the sender organisation). */
  | { kind: 'study'; studyId: string; mailboxId: string }
  /** A call between colleagues changed state (to both members' tabs and the call view; lib/colleague-calls). */
  | { kind: 'colleague-call'; callId: string; state: 'ringing' | 'accepted' | 'ended' | 'declined' | 'missed' }
  /** A sealed signalling message waits for one member of a colleague call (its id only, never the payload). */
  | { kind: 'colleague-signal'; callId: string; to: string; id: number }
  /** A conference ended, or someone entered, was admitted, left or was removed (lib/conferences). */
  | { kind: 'conference'; conferenceId: string; state: 'ended' | 'changed' }
  | { kind: 'conference-participant'; conferenceId: string; participantId: string; state: 'waiting' | 'admitted' | 'left' | 'removed' }
  /** A sealed signalling message waits for one participant of a conference (its id only). */
  | { kind: 'conference-signal'; conferenceId: string; to: string; id: number };

type Envelope = { c: string; e: BusEvent };

type Bus = {
  emitter: EventEmitter;
  ready: Promise<void>;
  postgres: boolean;
};

const buses = new WeakMap<object, Bus>();

function clientOf(db: Db): unknown {
  return (db as unknown as { $client: unknown }).$client;
}

function isPostgresJs(client: unknown): client is { listen: (ch: string, fn: (p: string) => void) => Promise<unknown>; unsafe: unknown } {
  return typeof client === 'function' && typeof (client as { unsafe?: unknown }).unsafe === 'function';
}

function busFor(db: Db): Bus {
  const key = db as unknown as object;
  let bus = buses.get(key);
  if (bus) return bus;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const client = clientOf(db);
  const postgres = isPostgresJs(client);
  const ready = postgres
    ? client
        .listen(PG_CHANNEL, (payload: string) => {
          try {
            const env = JSON.parse(payload) as Envelope;
            emitter.emit(env.c, env.e);
          } catch {
            // not ours
          }
        })
        .then(() => undefined)
    : Promise.resolve();
  bus = { emitter, ready, postgres };
  buses.set(key, bus);
  return bus;
}

export const channels = {
  appointment: (id: string) => `appt:${id}`,
  org: (id: string) => `org:${id}`,
};

/**
 * Publishes an event. Inside a transaction, PostgreSQL delivers the NOTIFY on
 * commit, so listeners never see an event whose rows they cannot read yet.
 */
export async function publish(db: Db, tx: DbOrTx, channel: string, event: BusEvent): Promise<void> {
  const bus = busFor(db);
  if (bus.postgres) {
    await tx.execute(sql`select pg_notify(${PG_CHANNEL}, ${JSON.stringify({ c: channel, e: event } satisfies Envelope)})`);
  } else {
    // PGlite has one writer; emit after the current tick so a surrounding
    // transaction has committed before listeners read.
    setTimeout(() => bus.emitter.emit(channel, event), 0);
  }
}

/** Subscribes to a channel; resolves once the subscription is live on every instance's bus. */
export async function subscribe(db: Db, channel: string, fn: (e: BusEvent) => void): Promise<() => void> {
  const bus = busFor(db);
  await bus.ready;
  bus.emitter.on(channel, fn);
  return () => bus.emitter.off(channel, fn);
}

export function listenerCount(db: Db, channel: string): number {
  return busFor(db).emitter.listenerCount(channel);
}
