// GET /api/colleague-calls/stream — Server-Sent Events of one member's tab: calls ringing for them and how their calls stand.
import { route } from '@/lib/auth/route';
import { ringStream } from '@/lib/colleague-calls/streams';

export const dynamic = 'force-dynamic';

// Open while the tab is locked too, so a locked tab still rings: it names calls and callers only; taking the call needs the keys.
export const GET = route({ access: 'member', whileLocked: true }, async ({ db, session, req }) => ringStream(db, session, req));
