// POST /api/conferences/room/signal — relay one sealed message to one participant in the room.
import { route } from '@/lib/auth/route';
import { postConferenceSignal } from '@/lib/conferences/room';
import { ZConferenceSignal } from '@/lib/conferences/schemas';

export const POST = route({ access: 'conference', input: ZConferenceSignal }, ({ db, conferee, input }) => postConferenceSignal(db, conferee, input.to, input.payload));
