import 'server-only';
import type { Db, DbOrTx } from '@/lib/db/client';
import { publish, subscribe, type BusEvent } from '@/lib/server/bus';

/** What travels on the bus about colleague calls: ids and states only, never a signalling payload. */
export type ColleagueCallEvent = Extract<BusEvent, { kind: 'colleague-call' | 'colleague-signal' }>;

export type CallState = Extract<ColleagueCallEvent, { kind: 'colleague-call' }>['state'];

/** Every tab of one member (the ring listener). */
export const userChannel = (userId: string) => `colleague-user:${userId}`;
/** The call view of the two members of one call. */
export const callChannel = (callId: string) => `colleague-call:${callId}`;

export function publishCallEvent(db: Db, tx: DbOrTx, channel: string, e: ColleagueCallEvent): Promise<void> {
  return publish(db, tx, channel, e);
}

/** Only colleague-call events reach `fn` (these channels carry nothing else). */
export function subscribeCallEvents(db: Db, channel: string, fn: (e: ColleagueCallEvent) => void): Promise<() => void> {
  return subscribe(db, channel, (e) => {
    if (e.kind === 'colleague-call' || e.kind === 'colleague-signal') fn(e);
  });
}
