// POST /api/conferences/room/leave — the participant leaves.
import { route } from '@/lib/auth/route';
import { leaveConference } from '@/lib/conferences/room';

export const POST = route({ access: 'conference' }, ({ db, conferee }) => leaveConference(db, conferee));
