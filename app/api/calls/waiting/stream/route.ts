// GET /api/calls/waiting/stream — tells the practice's browsers when the waiting rooms change.
import { getDb } from '@/lib/db/client';
import { currentSession, errorResponse } from '@/lib/auth/route';
import { AppError } from '@/lib/errors';
import { channels, subscribe } from '@/lib/server/bus';
import { HEARTBEAT_MS } from '@/lib/video/calls';
import { sseResponse } from '@/lib/video/sse';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const db = await getDb();
    const session = await currentSession(db);
    if (!session) throw new AppError('unauthenticated');
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
  } catch (e) {
    return errorResponse(e);
  }
}
