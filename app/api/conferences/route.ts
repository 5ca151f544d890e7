// GET /api/conferences — the member's conferences (hosted or invited); POST — create one (plan plus).
import { route } from '@/lib/auth/route';
import { createConference, listConferences } from '@/lib/conferences/service';
import { ZCreateConference } from '@/lib/conferences/schemas';

export const GET = route({ access: 'member' }, ({ db, session }) => listConferences(db, session));

export const POST = route({ access: 'member', input: ZCreateConference }, ({ db, session, input }) => createConference(db, session, input));
