// The statistics as CSV for German Excel (pure): semicolons, German headings, a BOM so Excel reads UTF-8.
import { averageSeconds, type Figures } from './figures';
import type { StatsReport } from './report';

export const CSV_HEADINGS = [
  'Monat',
  'Mitglied',
  'Konsultationen',
  'Dauer Konsultationen (Sekunden)',
  'Ø Dauer Konsultationen (Sekunden)',
  'Konferenzen',
  'Dauer Konferenzen (Sekunden)',
  'Teilnehmende an Konferenzen',
  'Konferenzeinladungen',
  'Einladungen E-Mail (Praxis)',
  'Einladungen E-Mail (Konsil)',
  'Einladungen SMS',
  'SMS versandt',
] as const;

/** Who a row is about: everyone, a member by short name, or the former members together. */
export const ALL_MEMBERS = 'Alle Mitglieder';
export const FORMER_MEMBER = 'Ehemaliges Mitglied';

/** A cell as Excel should see it: quoted when it holds a separator, a quote or a line break; never a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  // A short name cannot start like a formula, but a cell never runs as one (CSV injection).
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function figureCells(f: Figures, sms: number | null): (string | number | null)[] {
  return [
    f.consultations,
    f.consultationSeconds,
    averageSeconds(f.consultationSeconds, f.consultations),
    f.conferences,
    f.conferenceSeconds,
    f.conferenceParticipants,
    f.conferenceInvitations,
    f.invitationsManual,
    f.invitationsEmail,
    f.invitationsSms,
    sms,
  ];
}

/** The report's file name: konsil-statistik-<from>-<to>.csv. */
export const csvFileName = (r: Pick<StatsReport, 'from' | 'to'>) => `konsil-statistik-${r.from}-${r.to}.csv`;

/**
 * One row per month for what the report covers (everyone, or the one member),
 * then — for the organisation view without a filter — one row per member and
 * month. SMS belong to the organisation: only its rows carry them.
 */
export function reportCsv(r: StatsReport): string {
  const name = (m: { id: string | null; name: string | null }) => (m.id === null ? FORMER_MEMBER : (m.name ?? ''));
  const lines: (string | number | null)[][] = [[...CSV_HEADINGS]];
  const scope = r.memberId === null ? ALL_MEMBERS : name(r.members.find((m) => m.id === r.memberId) ?? r.members[0] ?? { id: null, name: null });
  const perMember = r.memberId === null && r.members.length > 0;
  r.months.forEach((m, i) => {
    lines.push([m.month, scope, ...figureCells(m.figures, m.sms)]);
    if (perMember) for (const member of r.members) lines.push([m.month, name(member), ...figureCells(member.months[i]!, null)]);
  });
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(';')).join('\r\n')}\r\n`;
}
