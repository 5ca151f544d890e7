// POST /api/conferences/room/admit — a member in the room lets a guest in from the lobby.
import { route } from '@/lib/auth/route';
import { admitGuest } from '@/lib/conferences/room';
import { ZParticipantAction } from '@/lib/conferences/schemas';

export const POST = route({ access: 'conference', input: ZParticipantAction }, ({ db, conferee, input }) => admitGuest(db, conferee, input.participantId));
