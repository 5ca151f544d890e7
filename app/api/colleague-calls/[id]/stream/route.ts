// GET /api/colleague-calls/:id/stream — Server-Sent Events of the call view: the call's state and the sealed messages for this member.
import { route } from '@/lib/auth/route';
import { callStream } from '@/lib/colleague-calls/streams';
import { callIdParam } from '@/lib/colleague-calls/schemas';

export const dynamic = 'force-dynamic';

export const GET = route({ access: 'member' }, ({ db, session, params, req }) => callStream(db, session, callIdParam(params), req));
