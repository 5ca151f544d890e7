// GET /api/settings/email — the organisation's mail settings (no password); POST — save them (admins)
import { route } from '@/lib/auth/route';
import { getMailSettings, saveMailSettings } from '@/lib/messaging/service';
import { ZMailSettingsInput } from '@/lib/messaging/schemas';

export const GET = route({ access: 'member' }, ({ db, session }) => getMailSettings(db, session));

export const POST = route({ access: 'admin', input: ZMailSettingsInput }, ({ db, session, input }) => saveMailSettings(db, session, input));
