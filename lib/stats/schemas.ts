// Wire schemas of the statistics (pure, shared with the browser).
import { z } from 'zod';
import { rangeProblems } from './range';

/**
 * GET /api/stats and /api/stats/export: a month range (YYYY-MM, Europe/Berlin;
 * default the last six months) and an optional member ('' = everyone). The
 * range rules live in ZStatsRange, which the service applies itself, so their
 * own messages reach the form instead of a generic "invalid".
 */
export const ZStatsQuery = z.object({
  from: z.string().max(20).optional(),
  to: z.string().max(20).optional(),
  member: z.string().uuid().or(z.literal('')).optional(),
});
export type TStatsQuery = z.infer<typeof ZStatsQuery>;

/** The query with its range checked: well-formed months, `from` not after `to`, at most 24 months. */
export const ZStatsRange = ZStatsQuery.extend({ from: z.string(), to: z.string() }).superRefine((q, ctx) => {
  for (const p of rangeProblems(q.from, q.to)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.key });
});
export type TStatsRange = z.infer<typeof ZStatsRange>;
