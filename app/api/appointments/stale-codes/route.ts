// GET /api/appointments/stale-codes — appointments whose codes a removed member could read (admins; records arrive encrypted).
import { route } from '@/lib/auth/route';
import { listStaleAppointments } from '@/lib/appointments/rekey';

export const GET = route({ access: 'admin' }, async ({ db, session }) => ({ appointments: await listStaleAppointments(db, session) }));
