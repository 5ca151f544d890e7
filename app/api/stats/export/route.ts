// GET /api/stats/export?from=YYYY-MM&to=YYYY-MM&member=<uuid> — the same figures as a CSV download for German Excel.
import { route } from '@/lib/auth/route';
import { ZStatsQuery } from '@/lib/stats/schemas';
import { statsReport } from '@/lib/stats/report';
import { csvFileName, reportCsv } from '@/lib/stats/csv';

export const GET = route({ access: 'member', input: ZStatsQuery }, async ({ db, session, input }) => {
  const report = await statsReport(db, session, input);
  return new Response(reportCsv(report), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csvFileName(report)}"`,
      'Cache-Control': 'no-store',
    },
  });
});
