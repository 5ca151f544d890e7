// POST /api/invitations/inspect — which organisation an invitation token belongs to (token in the body, never the URL)
import { route } from '@/lib/auth/route';
import { inspectInvitation } from '@/lib/members/service';
import { ZInvitationInspect } from '@/lib/members/schemas';

export const POST = route({ access: 'public', input: ZInvitationInspect }, ({ db, input, clientIp }) =>
  inspectInvitation(db, input.token, clientIp),
);
