// POST /api/appointments/:id/host — a member opens the consultation room as its host.
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { enterAsHost } from '@/lib/video/calls';

export const POST = route({ access: 'member' }, async ({ db, session, params }) => enterAsHost(db, session, idParam(params)));
