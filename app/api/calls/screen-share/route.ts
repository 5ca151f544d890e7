// POST /api/calls/screen-share — permission to share the screen (plan plus only).
import { route } from '@/lib/auth/route';
import { participantByToken, requestScreenShare, tokenOf } from '@/lib/video/calls';

export const POST = route({ access: 'public' }, async ({ db, req }) => requestScreenShare(db, await participantByToken(db, tokenOf(req))));
