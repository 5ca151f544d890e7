// POST /api/settings/email/test — queue a test e-mail through the organisation's transport (admins)
import { route } from '@/lib/auth/route';
import { sendTestEmail } from '@/lib/messaging/service';
import { ZTestEmailInput } from '@/lib/messaging/schemas';

export const POST = route({ access: 'admin', input: ZTestEmailInput }, ({ db, session, input }) => sendTestEmail(db, session, input));
