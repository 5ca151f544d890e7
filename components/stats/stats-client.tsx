'use client';
import { useCallback, useEffect, useState } from 'react';
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { PageTitle } from '@/components/ui/card';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { api, errorCode, type Json } from '@/lib/client/api';
import { FIGURE_KEYS } from '@/lib/stats/figures';
import type { StatsReport } from '@/lib/stats/report';
import { StatsFilter } from './stats-filter';
import { SummaryCards } from './summary-cards';
import { MemberTable, MonthTable } from './stats-tables';
import { useMonthLabel } from './use-stats-format';

type Report = Json<StatsReport>;

// Recharts only on this page, and only in the browser: its own chunk.
function ChartsLoading() {
  const t = useTranslations('stats.charts');
  return (
    <div className="grid gap-6 lg:grid-cols-2" aria-busy="true">
      <p className="h-[19.5rem] animate-pulse rounded-lg bg-white p-4 text-sm text-slate-600 ring-1 ring-slate-200">{t('loading')}</p>
      <p className="h-[19.5rem] animate-pulse rounded-lg bg-white p-4 text-sm text-slate-600 ring-1 ring-slate-200">{t('loading')}</p>
    </div>
  );
}
const StatsCharts = dynamic(() => import('./stats-charts'), { ssr: false, loading: ChartsLoading });

function queryString(q: { from?: string; to?: string; member?: string | null }): string {
  const p = new URLSearchParams();
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.member) p.set('member', q.member);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const isEmpty = (r: Report) => FIGURE_KEYS.every((k) => r.total[k] === 0) && !r.totalSms;

export function StatsClient() {
  const t = useTranslations('stats');
  const eMsg = useErrorMessage();
  const label = useMonthLabel();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  /** Loads a report; a refusal is shown and thrown on, so the form can put its field errors on the fields. */
  const load = useCallback(
    async (q: { from?: string; to?: string; member?: string }) => {
      setLoading(true);
      setError(null);
      try {
        setReport(await api<Report>(`/api/stats${queryString(q)}`));
      } catch (e) {
        setError(eMsg(errorCode(e)));
        throw e;
      } finally {
        setLoading(false);
      }
    },
    [eMsg],
  );
  useEffect(() => {
    // The default range (the last six months); the server fills it in.
    api<Report>('/api/stats')
      .then(setReport, (e: unknown) => setError(eMsg(errorCode(e))))
      .finally(() => setLoading(false));
  }, [eMsg]);

  const scope = report
    ? report.memberId === null
      ? t('scope.organisation', { from: label(report.from), to: label(report.to) })
      : report.organisationView
        ? t('scope.member', { from: label(report.from), to: label(report.to), name: report.members[0]?.name ?? t('members.former') })
        : t('scope.own', { from: label(report.from), to: label(report.to) })
    : null;

  return (
    <div>
      <PageTitle intro={report && !report.organisationView ? t('introMember') : t('intro')}>{t('title')}</PageTitle>
      {report && (
        <StatsFilter
          defaults={{ from: report.from, to: report.to, member: report.organisationView ? (report.memberId ?? '') : '' }}
          memberOptions={report.organisationView ? report.memberOptions : null}
          onShow={(q) => load(q)}
          exportHref={`/api/stats/export${queryString({ from: report.from, to: report.to, member: report.organisationView ? report.memberId : null })}`}
        />
      )}
      {error && (
        <Alert tone="error" className="mt-4">
          {error}
          {!report && (
            <Button type="button" variant="secondary" className="ml-3" onClick={() => void load({}).catch(() => {})}>
              {t('retry')}
            </Button>
          )}
        </Alert>
      )}
      {!report && loading && (
        <p className="mt-6 text-sm text-slate-600" role="status">
          {t('loading')}
        </p>
      )}
      {report && (
        <div className={`mt-6 space-y-8 transition-opacity ${loading ? 'opacity-60' : ''}`} aria-busy={loading} data-testid="stats-report" data-from={report.from} data-to={report.to}>
          <p className="text-sm font-medium text-slate-700" data-testid="stats-scope" role="status">
            {scope}
          </p>
          {isEmpty(report) && (
            <Alert tone="info" className="-mt-4">
              <span data-testid="stats-empty">{t('empty')}</span>
            </Alert>
          )}
          <SummaryCards report={report} />
          <StatsCharts months={report.months} />
          <MonthTable report={report} />
          {report.members.length > 0 && <MemberTable report={report} />}
          <ul className="list-disc space-y-1 pl-5 text-xs text-slate-600">
            <li>{t('notes.manual')}</li>
            <li>{t('notes.conferences')}</li>
            <li>{t('notes.retention', { month: label(report.detailSince) })}</li>
          </ul>
        </div>
      )}
    </div>
  );
}
