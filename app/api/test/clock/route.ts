// GET /api/test/clock — the server's now; POST — set it (test mode only, 404 otherwise)
import { route } from '@/lib/auth/route';
import { now, setClock } from '@/lib/core/clock';
import { getConfig } from '@/lib/core/config';
import { AppError } from '@/lib/core/errors';
import { ZSetClock } from '@/lib/time/schemas';

function requireTestClock() {
  if (!getConfig().testClock) throw new AppError('not_found');
}

export const GET = route({ access: 'public' }, async () => {
  requireTestClock();
  return { now: now().toISOString() };
});

// The clock keeps running from the instant given (an offset), so timeouts and
// expiries behave as they would at that date; null returns to real time.
export const POST = route({ access: 'public', input: ZSetClock }, async ({ input }) => {
  requireTestClock();
  setClock({ fixed: null, offsetMs: input.at ? new Date(input.at).getTime() - Date.now() : 0 });
  return { now: now().toISOString() };
});
