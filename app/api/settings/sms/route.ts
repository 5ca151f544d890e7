// GET /api/settings/sms — the organisation's SMS settings and usage (no key); POST — save them (admins, Konsil plus)
import { route } from '@/lib/auth/route';
import { getSmsSettings, saveSmsSettings } from '@/lib/messaging/service';
import { ZSmsSettingsInput } from '@/lib/messaging/schemas';

export const GET = route({ access: 'member' }, ({ db, session }) => getSmsSettings(db, session));

export const POST = route({ access: 'admin', input: ZSmsSettingsInput }, ({ db, session, input }) => saveSmsSettings(db, session, input));
