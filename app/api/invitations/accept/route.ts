// POST /api/invitations/accept — an invited member registers their keys and first device
import { route } from '@/lib/auth/route';
import { ZInvitationAccept } from '@/lib/accounts/schemas';
import { acceptInvitation } from '@/lib/members/service';

export const POST = route({ access: 'public', input: ZInvitationAccept }, ({ db, input, clientIp }) =>
  acceptInvitation(db, input, clientIp),
);
