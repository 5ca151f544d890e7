// POST /api/members/invitations — create a one-time invitation link (optionally e-mailed, without its secret)
import { route } from '@/lib/auth/route';
import { ZInvitationCreate } from '@/lib/accounts/schemas';
import { createInvitation } from '@/lib/members/service';

export const POST = route({ access: 'admin', input: ZInvitationCreate }, ({ db, session, input }) =>
  createInvitation(db, session, { ...input, email: input.email || undefined }),
);
