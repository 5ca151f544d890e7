// POST /api/calls/screen-share — permission to share the screen (plan plus only).
import { route } from '@/lib/auth/route';
import { requestScreenShare } from '@/lib/video/calls';

export const POST = route({ access: 'participant' }, async ({ db, participant }) => requestScreenShare(db, participant));
