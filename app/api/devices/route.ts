// GET /api/devices — the organisation's devices (admins) or one's own (members)
import { route } from '@/lib/auth/route';
import { listDevices } from '@/lib/devices/service';

export const GET = route({ access: 'member' }, async ({ db, session }) => ({
  devices: await listDevices(db, session),
  currentDeviceId: session.deviceId,
}));
