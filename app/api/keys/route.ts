// GET /api/keys — the caller's wrapped key bundle (ciphertext only) for unlocking in the browser
import { route } from '@/lib/auth/route';
import { getKeyBundle } from '@/lib/accounts/service';

export const GET = route({ access: 'member', whileLocked: true }, ({ db, session }) => getKeyBundle(db, session));
