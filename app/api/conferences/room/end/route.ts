// POST /api/conferences/room/end — the host ends the conference for everyone.
import { route } from '@/lib/auth/route';
import { endFromRoom } from '@/lib/conferences/room';

export const POST = route({ access: 'conference' }, ({ db, conferee }) => endFromRoom(db, conferee));
