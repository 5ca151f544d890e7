// How the statistics add up the two places an event can be (pure, no server imports).
import { foldEvents, mergeAggregates, type MonthlyAggregate, type StatsEvent } from './fold';
import { berlinMonth } from './months';

/**
 * The months `from`..`to` of one organisation: the folded aggregates plus the
 * raw events not folded yet. The purge (purgeCallEvents) folds event by event —
 * everything older than now minus three months — and deletes exactly the rows
 * it folded in the same transaction, so a month at the cutoff is partly in
 * each table and every event is in exactly one: adding both sides counts it
 * once. `raw` may hold events outside the months (the UTC window around them);
 * they are left out by their Berlin month.
 */
export function combineMonthly(aggregates: Iterable<MonthlyAggregate>, raw: Iterable<StatsEvent>, period: { from: string; to: string }): MonthlyAggregate[] {
  const inRange: StatsEvent[] = [];
  for (const e of raw) {
    if (e.type === 'call_started') continue;
    const m = berlinMonth(e.occurredAt);
    if (m >= period.from && m <= period.to) inRange.push(e);
  }
  const kept = [...aggregates].filter((a) => a.month >= period.from && a.month <= period.to);
  return mergeAggregates([...kept, ...foldEvents(inRange)]);
}
