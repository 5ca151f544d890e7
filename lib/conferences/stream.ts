import 'server-only';
import type { Db } from '@/lib/db/client';
import { sseResponse } from '@/lib/server/sse';
import { subscribe } from '@/lib/server/bus';
import { HEARTBEAT_MS } from '@/lib/video/calls';
import { conferenceChannel } from './service';
import { conferenceSignalsFor, roomState, stillIn, sweepAbsent, touchConferee, visibleTo, type Conferee } from './room';
import { SweepThrottle } from './sweep-throttle';

/** One sweep of the absent a conference a period, for all its streams in this process. */
const sweeps = new SweepThrottle();

/**
 * One participant's stream: who is in the lobby and the room (again on every
 * change), the sealed messages for it (resumed after Last-Event-ID; in the
 * lobby none), 'removed' or 'ended' as the last word.
 */
export function conferenceStream(db: Db, p: Conferee, token: string, req: Request): Response {
  const lastEventId = Number(req.headers.get('last-event-id') ?? '0');
  let lastId = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0;
  return sseResponse(req, async (send, close) => {
    let chain = Promise.resolve();
    const queue = (job: () => Promise<void>) => {
      chain = chain.then(job).catch(() => close());
    };
    const pump = () =>
      queue(async () => {
        for (const r of await conferenceSignalsFor(db, p.conferenceId, p.id, lastId)) {
          send('signal', JSON.stringify({ from: r.from, payload: r.payload }), r.id);
          lastId = r.id;
        }
      });
    const state = () =>
      queue(async () => {
        const me = await stillIn(db, token);
        if (!me) {
          send('gone', '{}');
          return close();
        }
        send('state', JSON.stringify({ me: me.id, myState: me.state, ...visibleTo(me, await roomState(db, p.conferenceId)) }));
      });
    const unsubscribe = await subscribe(db, conferenceChannel(p.conferenceId), (e) => {
      if (e.kind === 'conference-signal') {
        if (e.to === p.id) pump();
      } else if (e.kind === 'conference') {
        if (e.state === 'ended') {
          send('ended', '{}');
          close();
        } else state();
      } else if (e.kind === 'conference-participant') {
        if (e.participantId === p.id && e.state === 'removed') {
          send('removed', '{}');
          close();
        } else state();
      }
    });
    // Present from now on; anyone absent too long is let go (they may block a place in the mesh).
    queue(async () => {
      await touchConferee(db, p.id);
      await sweeps.opened(p.conferenceId, () => sweepAbsent(db, p.conferenceId));
    });
    state();
    pump();
    const beat = setInterval(() => {
      stillIn(db, token)
        .then(async (me) => {
          if (!me) {
            send('gone', '{}');
            close();
            return;
          }
          send('ping', String(Date.now()));
          await touchConferee(db, me.id);
          await sweeps.beat(me.conferenceId, () => sweepAbsent(db, me.conferenceId));
        })
        .catch(() => {});
    }, HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      unsubscribe();
    };
  });
}
