import 'server-only';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { channels, subscribe } from '@/lib/server/bus';
import { sseResponse } from '@/lib/server/sse';
import { myMailboxIds } from './access';

const HEARTBEAT_MS = 25_000;

/** Tells a member's browsers when a study arrives in one of their mailboxes or a receipt of a sent one changes (ids only). */
export function studyStream(db: Db, session: SessionContext, req: Request): Response {
  return sseResponse(req, async (send) => {
    const mine = new Set(await myMailboxIds(db, session));
    const unsubscribe = await subscribe(db, channels.org(session.orgId), (e) => {
      if (e.kind !== 'study') return;
      // The organisation's own mailboxes: only to those who may use them; a partner's: the sender side.
      send('study', JSON.stringify({ studyId: e.studyId, inbox: mine.has(e.mailboxId) }));
    });
    send('ready', '{}');
    const beat = setInterval(() => send('ping', String(Date.now())), HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      unsubscribe();
    };
  });
}
