// POST /api/calls/connected — a browser reports its media connection is up (starts the call's record).
import { route } from '@/lib/auth/route';
import { participantByToken, reportConnected, tokenOf } from '@/lib/video/calls';

export const POST = route({ access: 'public' }, async ({ db, req }) => reportConnected(db, await participantByToken(db, tokenOf(req))));
