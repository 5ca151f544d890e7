// GET /api/conferences/room — the room as its participant enters it: who is in, ICE servers.
import { route } from '@/lib/auth/route';
import { roomInfo } from '@/lib/conferences/room';

export const GET = route({ access: 'conference' }, ({ db, conferee }) => roomInfo(db, conferee));
