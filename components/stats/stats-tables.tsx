'use client';
import { useFormatter, useTranslations } from 'next-intl';
import { Cell, StackedRow, StackedTable } from '@/components/ui/stacked-table';
import { averageSeconds, type Figures } from '@/lib/stats/figures';
import type { StatsReport } from '@/lib/stats/report';
import type { Json } from '@/lib/client/api';
import { useDuration, useMonthLabel } from './use-stats-format';

type Column = { key: string; label: string; value: (f: Figures) => string; detail?: (f: Figures) => string | null };

function useColumns(): Column[] {
  const t = useTranslations('stats.col');
  const format = useFormatter();
  const duration = useDuration();
  const n = (x: number) => format.number(x);
  return [
    { key: 'consultations', label: t('consultations'), value: (f) => n(f.consultations) },
    {
      key: 'duration',
      label: t('duration'),
      value: (f) => duration(f.consultationSeconds + f.conferenceSeconds),
      detail: (f) => (f.consultations > 0 ? t('averageOf', { duration: duration(averageSeconds(f.consultationSeconds, f.consultations)) }) : null),
    },
    { key: 'conferences', label: t('conferences'), value: (f) => n(f.conferences), detail: (f) => (f.conferences > 0 ? t('participantsOf', { count: f.conferenceParticipants }) : null) },
    { key: 'conferenceInvitations', label: t('conferenceInvitations'), value: (f) => n(f.conferenceInvitations) },
    { key: 'manual', label: t('manual'), value: (f) => n(f.invitationsManual) },
    { key: 'email', label: t('email'), value: (f) => n(f.invitationsEmail) },
    { key: 'smsInvitations', label: t('smsInvitations'), value: (f) => n(f.invitationsSms) },
  ];
}

// On a phone each row is a card; two figures side by side keep it short.
export const PHONE_GRID = 'max-lg:[&_tbody_tr]:grid max-lg:[&_tbody_tr]:grid-cols-2 max-lg:[&_tbody_tr]:gap-x-4 max-lg:[&_tbody_td:first-child]:col-span-2';

function FigureCells({ figures, columns }: { figures: Figures; columns: Column[] }) {
  return columns.map((c) => {
    const detail = c.detail?.(figures);
    return (
      <Cell key={c.key} label={c.label}>
        <span className="tabular-nums" data-col={c.key}>
          {c.value(figures)}
        </span>
        {detail && <span className="block text-xs text-slate-600">{detail}</span>}
      </Cell>
    );
  });
}

/** The numbers behind both charts, month by month (also the charts' text alternative). */
export function MonthTable({ report }: { report: Json<StatsReport> }) {
  const t = useTranslations('stats');
  const format = useFormatter();
  const label = useMonthLabel();
  const columns = useColumns();
  const sms = report.totalSms !== null;
  return (
    <section aria-labelledby="stats-months" className={PHONE_GRID}>
      <h2 id="stats-months" className="mb-3 text-lg font-semibold text-slate-900">
        {t('months.title')}
      </h2>
      <StackedTable caption={t('months.caption')} headers={[t('col.month'), ...columns.map((c) => c.label), ...(sms ? [t('col.sms')] : [])]} testId="month-table">
        {[...report.months].reverse().map((m) => (
          <StackedRow key={m.month} testId={`month-${m.month}`}>
            <Cell label={t('col.month')}>
              <span className="font-medium whitespace-nowrap text-slate-900">{label(m.month, 'table')}</span>
            </Cell>
            <FigureCells figures={m.figures} columns={columns} />
            {sms && (
              <Cell label={t('col.sms')}>
                <span className="tabular-nums" data-col="sms">
                  {format.number(m.sms ?? 0)}
                </span>
              </Cell>
            )}
          </StackedRow>
        ))}
      </StackedTable>
    </section>
  );
}

/** Totals per member over the range (a member sees their own line only). */
export function MemberTable({ report }: { report: Json<StatsReport> }) {
  const t = useTranslations('stats');
  const columns = useColumns();
  return (
    <section aria-labelledby="stats-members" className={PHONE_GRID}>
      <h2 id="stats-members" className="mb-3 text-lg font-semibold text-slate-900">
        {t('members.title')}
      </h2>
      <StackedTable caption={t('members.caption')} headers={[t('col.member'), ...columns.map((c) => c.label)]} testId="member-table">
        {report.members.map((m) => (
          <StackedRow key={m.id ?? 'former'} testId={`member-${m.id === null ? 'former' : m.name}`}>
            <Cell label={t('col.member')}>
              <span className={m.id === null ? 'italic text-slate-700' : 'font-medium whitespace-nowrap text-slate-900'}>{m.id === null ? t('members.former') : m.name}</span>
            </Cell>
            <FigureCells figures={m.total} columns={columns} />
          </StackedRow>
        ))}
      </StackedTable>
    </section>
  );
}
