import 'server-only';
import type { Db, DbOrTx } from '@/lib/db/client';
import { publish, subscribe, type BusEvent } from '@/lib/server/bus';

export type CallState = 'ringing' | 'accepted' | 'ended' | 'declined' | 'missed';

/** What travels on the bus about colleague calls: ids and states only, never a signalling payload. */
export type ColleagueCallEvent =
  | { kind: 'colleague-call'; callId: string; state: CallState }
  | { kind: 'colleague-signal'; callId: string; to: string; id: number };

/** Every tab of one member (the ring listener). */
export const userChannel = (userId: string) => `colleague-user:${userId}`;
/** The call view of the two members of one call. */
export const callChannel = (callId: string) => `colleague-call:${callId}`;

// The bus's event union (lib/server/bus.ts) names the consultation's events;
// these channels carry only colleague-call events, so the bus is used as the
// channel-keyed transport it is and the type is narrowed again on receipt.
export function publishCallEvent(db: Db, tx: DbOrTx, channel: string, e: ColleagueCallEvent): Promise<void> {
  return publish(db, tx, channel, e as unknown as BusEvent);
}

export function subscribeCallEvents(db: Db, channel: string, fn: (e: ColleagueCallEvent) => void): Promise<() => void> {
  return subscribe(db, channel, (e) => {
    const c = e as unknown as ColleagueCallEvent;
    if (c.kind === 'colleague-call' || c.kind === 'colleague-signal') fn(c);
  });
}
