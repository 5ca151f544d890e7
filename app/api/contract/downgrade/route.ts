// POST /api/contract/downgrade — plus → basis at the end of the month (main user only).
import { route } from '@/lib/auth/route';
import { downgradeToBasis } from '@/lib/contracts/service';

export const POST = route({ access: 'member' }, async ({ db, session }) => downgradeToBasis(db, session));
