import 'server-only';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { sseResponse } from '@/lib/server/sse';
import { HEARTBEAT_MS } from '@/lib/video/calls';
import { callerOf, colleagueSignalsFor, getColleagueCall, ringingFor, stillInCall } from './service';
import { callChannel, subscribeCallEvents, userChannel } from './events';

/**
 * One member's ring stream (every signed-in tab opens one): calls ringing for
 * them with the caller's name, and every change of state of their calls, so
 * the other tabs stop ringing once one of them answered.
 */
export function ringStream(db: Db, session: SessionContext, req: Request): Response {
  return sseResponse(req, async (send) => {
    const unsubscribe = await subscribeCallEvents(db, userChannel(session.userId), (e) => {
      if (e.kind !== 'colleague-call') return;
      if (e.state === 'ringing') {
        callerOf(db, session, e.callId)
          .then((c) => send('ring', JSON.stringify(c)))
          .catch(() => {});
      } else send('call', JSON.stringify({ callId: e.callId, state: e.state }));
    });
    for (const c of await ringingFor(db, session)) send('ring', JSON.stringify({ callId: c.id, callerId: c.callerId, callerShortName: c.callerShortName, side: 'callee', state: c.state, createdAt: c.createdAt }));
    send('ready', '{}');
    const beat = setInterval(() => send('ping', String(Date.now())), HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      unsubscribe();
    };
  });
}

/**
 * The call view's stream: the call's state, then the sealed messages for this
 * member (resumed after Last-Event-ID), then whatever the bus brings. Only the
 * two members of the call get one (getColleagueCall refuses anyone else).
 */
export async function callStream(db: Db, session: SessionContext, callId: string, req: Request): Promise<Response> {
  const info = await getColleagueCall(db, session, callId);
  const lastEventId = Number(req.headers.get('last-event-id') ?? '0');
  let lastId = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0;
  return sseResponse(req, async (send, close) => {
    let chain = Promise.resolve();
    const pump = () => {
      chain = chain
        .then(async () => {
          for (const r of await colleagueSignalsFor(db, info.id, session.userId, lastId)) {
            send('signal', r.payload, r.id);
            lastId = r.id;
          }
        })
        .catch(() => close());
    };
    const ended = (state: string) => state !== 'ringing' && state !== 'accepted';
    const unsubscribe = await subscribeCallEvents(db, callChannel(info.id), (e) => {
      if (e.kind === 'colleague-signal') {
        if (e.to === session.userId) pump();
      } else {
        send('state', JSON.stringify({ state: e.state }));
        if (ended(e.state)) close();
      }
    });
    const current = await stillInCall(db, session, info.id);
    send('state', JSON.stringify({ state: current ?? 'ended' }));
    if (!current || ended(current)) {
      close();
      return unsubscribe;
    }
    pump();
    // Each heartbeat checks again: the call ends for a member who was removed meanwhile.
    const beat = setInterval(() => {
      stillInCall(db, session, info.id)
        .then((s) => {
          if (!s || ended(s)) {
            send('state', JSON.stringify({ state: s ?? 'ended' }));
            close();
          } else send('ping', String(Date.now()));
        })
        .catch(() => {});
    }, HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      unsubscribe();
    };
  });
}
