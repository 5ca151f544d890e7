// GET /api/calls/waiting/stream — tells the practice's browsers when the waiting rooms change.
import { route } from '@/lib/auth/route';
import { waitingRoomStream } from '@/lib/video/streams';

export const dynamic = 'force-dynamic';

// Open while the tab is locked too: it names appointment ids only; what the page then loads needs an unlocked session.
export const GET = route({ access: 'member', whileLocked: true }, async ({ db, session, req }) => waitingRoomStream(db, session, req));
