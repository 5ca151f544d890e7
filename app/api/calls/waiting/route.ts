// GET /api/calls/waiting — appointments with a patient in the waiting room or in a call.
import { route } from '@/lib/auth/route';
import { waitingRoomsOf } from '@/lib/video/calls';

export const GET = route({ access: 'member' }, async ({ db, session }) => ({ rooms: await waitingRoomsOf(db, session) }));
