// POST /api/appointments/:id/codes — new access codes made in an admin's browser (the record sealed again with them).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { ZNewCodes } from '@/lib/appointments/schemas';
import { replaceCodes } from '@/lib/appointments/rekey';

export const POST = route({ access: 'admin', input: ZNewCodes }, ({ db, session, params, input }) => replaceCodes(db, session, idParam(params), input));
