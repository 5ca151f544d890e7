// POST /api/conferences/guest/enter — a guest enters the lobby by code (a lookup derived from it) with a sealed name.
import { route } from '@/lib/auth/route';
import { enterAsGuest } from '@/lib/conferences/room';
import { ZGuestEnter } from '@/lib/conferences/schemas';

export const POST = route({ access: 'public', input: ZGuestEnter }, ({ db, clientIp, input }) => enterAsGuest(db, clientIp, input.lookup, input.nameEnc));
