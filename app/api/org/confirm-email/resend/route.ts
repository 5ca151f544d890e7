// POST /api/org/confirm-email/resend — an admin has the confirmation link sent to the organisation's address again
import { route } from '@/lib/auth/route';
import { resendOrgEmailConfirmation } from '@/lib/accounts/service';

export const POST = route({ access: 'admin' }, ({ db, session }) => resendOrgEmailConfirmation(db, session));
