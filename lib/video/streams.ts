import 'server-only';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { AppError } from '@/lib/core/errors';
import { channels, subscribe, type BusEvent } from '@/lib/server/bus';
import { HEARTBEAT_MS, roomState, signalsFor, touch } from './calls';
import { participantByToken, tokenOf, type Participant } from './participant';
import { sseResponse } from '@/lib/server/sse';

/**
 * The event stream of one participant: room state, participants coming and
 * going, and the sealed signalling messages meant for it, resumed after
 * Last-Event-ID.
 */
export async function participantStream(db: Db, p: Participant, req: Request): Promise<Response> {
  const lastEventId = Number(req.headers.get('last-event-id') ?? '0');
  let lastId = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0;
  // Messages from before this participant entered belong to an earlier call
  // (authentic, but not for this one): they are never replayed to it.
  const since = p.createdAt;
  await touch(db, p);
  return sseResponse(req, async (send, close) => {
    let chain = Promise.resolve();
    const pump = () => {
      chain = chain
        .then(async () => {
          const rows = await signalsFor(db, p.appointmentId, p.role, lastId, since);
          for (const r of rows) {
            send('signal', r.payload, r.id);
            lastId = r.id;
          }
        })
        .catch(() => close());
    };
    const state = async () => send('state', JSON.stringify({ me: p.id, role: p.role, ...(await roomState(db, p.appointmentId)) }));
    const onEvent = (e: BusEvent) => {
      if (e.kind === 'signal') {
        if (e.to === p.role) pump();
      } else if (e.kind === 'participant') {
        if (e.participantId === p.id && e.state === 'left') {
          send('participant', JSON.stringify(e));
          close();
          return;
        }
        send('participant', JSON.stringify(e));
      } else if (e.kind === 'appointment') {
        send('appointment', JSON.stringify(e));
      }
    };
    const unsubscribe = await subscribe(db, channels.appointment(p.appointmentId), onEvent);
    await state();
    pump();
    // Each heartbeat checks the token again: it ends with the waiting room's window, the
    // appointment's cancellation, the member's removal or the device's revocation.
    const token = tokenOf(req);
    const beat = setInterval(() => {
      participantByToken(db, token)
        .then(() => {
          send('ping', String(Date.now()));
          return touch(db, p);
        })
        .catch((e: unknown) => {
          // A passing database fault is no reason to end a call; a void token is.
          if (!(e instanceof AppError && e.code === 'call_token_invalid')) return;
          send('participant', JSON.stringify({ kind: 'participant', role: p.role, participantId: p.id, state: 'left' }));
          close();
        });
    }, HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      unsubscribe();
    };
  });
}

/** Tells the practice's browsers when one of its waiting rooms changes (appointment ids only). */
export function waitingRoomStream(db: Db, session: SessionContext, req: Request): Response {
  return sseResponse(req, async (send) => {
    const unsubscribe = await subscribe(db, channels.org(session.orgId), (e) => {
      if (e.kind === 'waiting') send('waiting', JSON.stringify({ appointmentId: e.appointmentId }));
    });
    send('ready', '{}');
    const beat = setInterval(() => send('ping', String(Date.now())), HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      unsubscribe();
    };
  });
}
