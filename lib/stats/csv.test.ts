import { describe, expect, it } from 'vitest';
import { CSV_HEADINGS, csvCell, csvFileName, reportCsv } from './csv';
import { zeroFigures } from './figures';
import type { StatsReport } from './report';

const A = '00000000-0000-4000-8000-0000000000a1';

function report(p: Partial<StatsReport> = {}): StatsReport {
  const jan = { ...zeroFigures(), consultations: 2, consultationSeconds: 901, invitationsManual: 1 };
  const feb = { ...zeroFigures(), invitationsSms: 3 };
  return {
    from: '2026-01',
    to: '2026-02',
    memberId: null,
    organisationView: true,
    memberOptions: [{ id: A, name: 'dr.berg' }],
    months: [
      { month: '2026-01', figures: jan, sms: 0 },
      { month: '2026-02', figures: feb, sms: 3 },
    ],
    total: { ...jan, invitationsSms: 3 },
    totalSms: 3,
    members: [
      { id: A, name: 'dr.berg', total: jan, months: [jan, zeroFigures()] },
      { id: null, name: null, total: feb, months: [zeroFigures(), feb] },
    ],
    detailSince: '2025-11',
    ...p,
  };
}

const parse = (csv: string) => csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(';'));

describe('reportCsv', () => {
  it('German Excel: BOM, semicolons, German headings, CRLF; a month row for everyone, then each member', () => {
    const csv = reportCsv(report());
    expect(csv.startsWith('\uFEFFMonat;Mitglied;Konsultationen;')).toBe(true);
    const rows = parse(csv);
    expect(rows[0]).toEqual([...CSV_HEADINGS]);
    expect(rows.slice(1)).toEqual([
      ['2026-01', 'Alle Mitglieder', '2', '901', '451', '0', '0', '0', '0', '1', '0', '0', '0'],
      ['2026-01', 'dr.berg', '2', '901', '451', '0', '0', '0', '0', '1', '0', '0', ''],
      ['2026-01', 'Ehemaliges Mitglied', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', ''],
      ['2026-02', 'Alle Mitglieder', '0', '0', '0', '0', '0', '0', '0', '0', '0', '3', '3'],
      ['2026-02', 'dr.berg', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', ''],
      ['2026-02', 'Ehemaliges Mitglied', '0', '0', '0', '0', '0', '0', '0', '0', '0', '3', ''],
    ]);
    expect(csvFileName(report())).toBe('konsil-statistik-2026-01-2026-02.csv');
  });

  it('one member: their rows only, named, without SMS', () => {
    const jan = report().members[0]!;
    const rows = parse(reportCsv(report({ memberId: A, members: [jan], months: report().months.map((m, i) => ({ ...m, figures: jan.months[i]!, sms: null })), totalSms: null })));
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[12]])).toEqual([
      ['2026-01', 'dr.berg', '2', ''],
      ['2026-02', 'dr.berg', '0', ''],
    ]);
  });

  it.each([
    ['plain', 'plain'],
    ['a;b', '"a;b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['-1', "'-1"],
  ])('cell %s → %s', (v, out) => {
    expect(csvCell(v)).toBe(out);
  });
  it('numbers stay numbers, null is empty', () => {
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });
});
