// GET /api/colleague-calls/missed — declined and unanswered calls to the signed-in member.
import { route } from '@/lib/auth/route';
import { listMissedCalls } from '@/lib/colleague-calls/service';

export const GET = route({ access: 'member' }, ({ db, session }) => listMissedCalls(db, session));
