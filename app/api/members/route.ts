// GET /api/members — the organisation's users and open invitations
import { route } from '@/lib/auth/route';
import { listMembers, listOpenInvitations } from '@/lib/members/service';

export const GET = route({ access: 'member' }, async ({ db, session }) => ({
  members: await listMembers(db, session),
  invitations: session.role === 'member' ? [] : await listOpenInvitations(db, session),
  me: { userId: session.userId, role: session.role },
}));
