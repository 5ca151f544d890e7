import { describe, expect, it } from 'vitest';
import { monthCount, rangeProblems, resolveRange } from './range';
import { ZStatsRange } from './schemas';

describe('resolveRange (default: the last six months up to the current one)', () => {
  it.each([
    // [query, current month, resolved]
    [{}, '2026-05', { from: '2025-12', to: '2026-05' }],
    [{}, '2026-01', { from: '2025-08', to: '2026-01' }],
    [{ from: '2026-02' }, '2026-05', { from: '2026-02', to: '2026-05' }],
    [{ to: '2025-03' }, '2026-05', { from: '2024-10', to: '2025-03' }],
    [{ from: '2026-09' }, '2026-05', { from: '2026-09', to: '2026-09' }], // a future start alone: that month
    [{ from: '2024-01', to: '2024-12' }, '2026-05', { from: '2024-01', to: '2024-12' }],
    [{ from: '', to: '' }, '2026-05', { from: '2025-12', to: '2026-05' }],
    [{ to: 'Mai' }, '2026-05', { from: 'Mai', to: 'Mai' }], // left for rangeProblems to refuse
  ])('%j in %s → %j', (q, current, expected) => {
    expect(resolveRange(q, current)).toEqual(expected);
  });
});

describe('rangeProblems', () => {
  it.each([
    ['2026-01', '2026-06', []],
    ['2026-06', '2026-06', []],
    ['2024-07', '2026-06', []], // exactly 24 months
    ['2024-06', '2026-06', [{ field: 'from', key: 'monthRangeTooLong' }]], // 25
    ['2026-07', '2026-06', [{ field: 'to', key: 'monthRangeReversed' }]],
    ['2026-13', '2026-06', [{ field: 'from', key: 'monthInvalid' }]],
    ['2026-1', '2026-6', [{ field: 'from', key: 'monthInvalid' }, { field: 'to', key: 'monthInvalid' }]],
    ['2026-01', "2026-06' or 1=1", [{ field: 'to', key: 'monthInvalid' }]],
    ['', '2026-06', [{ field: 'from', key: 'monthInvalid' }]],
  ])('%s … %s', (from, to, expected) => {
    expect(rangeProblems(from, to)).toEqual(expected);
  });

  it('counts months across years', () => {
    expect(monthCount('2025-12', '2026-01')).toBe(2);
    expect(monthCount('2026-03', '2026-03')).toBe(1);
    expect(monthCount('2024-07', '2026-06')).toBe(24);
  });

  it('is the rule of the form schema, with the same message keys', () => {
    const r = ZStatsRange.safeParse({ from: '2026-07', to: '2026-06', member: '' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['to', 'monthRangeReversed']]);
    expect(ZStatsRange.safeParse({ from: '2026-01', to: '2026-06' }).success).toBe(true);
    expect(ZStatsRange.safeParse({ from: '2026-01', to: '2026-06', member: 'jemand' }).success).toBe(false);
  });
});
