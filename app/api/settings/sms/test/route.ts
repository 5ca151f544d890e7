// POST /api/settings/sms/test — queue a test SMS to an entered +49… number; counted like any SMS (admins, Konsil plus)
import { route } from '@/lib/auth/route';
import { sendTestSms } from '@/lib/messaging/service';
import { ZTestSmsInput } from '@/lib/messaging/schemas';

export const POST = route({ access: 'admin', input: ZTestSmsInput }, ({ db, session, input }) => sendTestSms(db, session, input));
