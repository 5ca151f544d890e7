// GET /api/calls/stream — Server-Sent Events for one participant: room state,
// participants coming and going, and the sealed signalling messages meant for it.
// Authenticated by the call token in the X-Call-Token header (never in the URL).
import { route } from '@/lib/auth/route';
import { participantStream } from '@/lib/video/streams';

export const dynamic = 'force-dynamic';

export const GET = route({ access: 'participant' }, ({ db, participant, req }) => participantStream(db, participant, req));
