// POST /api/register — create an organisation, its main user and first device from browser-made keys
import { route } from '@/lib/auth/route';
import { ZRegistrationRequest } from '@/lib/accounts/schemas';
import { registerOrganisation } from '@/lib/accounts/service';

export const POST = route({ access: 'public', input: ZRegistrationRequest }, ({ db, input, clientIp }) =>
  registerOrganisation(db, input, clientIp),
);
