// POST /api/conferences/room/remove — the host removes someone from the lobby or the room.
import { route } from '@/lib/auth/route';
import { removeParticipant } from '@/lib/conferences/room';
import { ZParticipantAction } from '@/lib/conferences/schemas';

export const POST = route({ access: 'conference', input: ZParticipantAction }, ({ db, conferee, input }) => removeParticipant(db, conferee, input.participantId));
