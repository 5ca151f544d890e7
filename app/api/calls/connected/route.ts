// POST /api/calls/connected — a browser reports its media connection is up (starts the call's record).
import { route } from '@/lib/auth/route';
import { reportConnected } from '@/lib/video/calls';

export const POST = route({ access: 'participant' }, async ({ db, participant }) => reportConnected(db, participant));
