// GET /api/contract — the contract page's data; every member may read it.
import { route } from '@/lib/auth/route';
import { getContract } from '@/lib/contracts/service';

export const GET = route({ access: 'member' }, async ({ db, session }) => getContract(db, session));
