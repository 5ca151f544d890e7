// GET /api/stats?from=YYYY-MM&to=YYYY-MM&member=<uuid> — calls, conferences and invitations per month and member (admins: the organisation; members: their own).
import { route } from '@/lib/auth/route';
import { ZStatsQuery } from '@/lib/stats/schemas';
import { statsReport } from '@/lib/stats/report';

export const GET = route({ access: 'member', input: ZStatsQuery }, ({ db, session, input }) => statsReport(db, session, input));
