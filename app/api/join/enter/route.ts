// POST /api/join/enter — enter the waiting room (patient code) or the room (doctor code).
import { route } from '@/lib/auth/route';
import { ZLookupInput } from '@/lib/appointments/schemas';
import { enterByCode } from '@/lib/video/calls';

export const POST = route({ access: 'public', input: ZLookupInput }, async ({ db, clientIp, input }) => enterByCode(db, clientIp, input.lookup));
