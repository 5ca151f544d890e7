// POST /api/conferences/:id/end — the host ends the conference for everyone, or cancels one nobody entered.
import { route } from '@/lib/auth/route';
import { endConference } from '@/lib/conferences/service';
import { conferenceIdParam } from '@/lib/conferences/schemas';

export const POST = route({ access: 'member' }, ({ db, session, params }) => endConference(db, session, conferenceIdParam(params)));
