// POST /api/invitations/inspect — which organisation an invitation token belongs to (token in the body, never the URL)
import { z } from 'zod';
import { ZInvitationToken } from '@/lib/accounts/schemas';
import { route } from '@/lib/auth/route';
import { inspectInvitation } from '@/lib/members/service';

export const POST = route({ access: 'public', input: z.object({ token: ZInvitationToken }) }, ({ db, input, clientIp }) =>
  inspectInvitation(db, input.token, clientIp),
);
