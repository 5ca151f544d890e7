// POST /api/devices/request — a browser with a correct password but no approved device asks for approval
import { route } from '@/lib/auth/route';
import { ZDeviceRequest } from '@/lib/accounts/schemas';
import { requestDeviceApproval } from '@/lib/accounts/service';

export const POST = route({ access: 'public', input: ZDeviceRequest }, ({ db, input, clientIp }) =>
  requestDeviceApproval(db, input, clientIp),
);
