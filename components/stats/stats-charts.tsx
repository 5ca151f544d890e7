'use client';
// The two charts of the statistics page. Recharts lives in this module only, which
// stats-client.tsx loads with next/dynamic: no other page carries it.
import { useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MonthFigures } from '@/lib/stats/figures';
import { useMonthLabel } from './use-stats-format';

// At least 3:1 against white and each other's neighbours (WCAG 1.4.11).
export const SERIES_COLOURS = {
  consultations: '#176274', // brand-600
  conferences: '#c2410c', // orange-700
  manual: '#475569', // slate-600
  email: '#1f7a8c', // brand-500
  sms: '#b45309', // amber-700
} as const;

const AXIS = { fontSize: 12, fill: '#475569' };

function ChartFigure({ title, summary, testId, children }: { title: string; summary: string; testId: string; children: React.ReactElement }) {
  return (
    <figure className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <figcaption className="mb-3 text-sm font-semibold text-slate-900">{title}</figcaption>
      {/* The numbers in words for screen readers (and in the table "Pro Monat"); the picture is for the eye. */}
      <p className="sr-only" data-testid={`${testId}-summary`}>
        {summary}
      </p>
      <div aria-hidden="true" className="h-64">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export default function StatsCharts({ months }: { months: MonthFigures[] }) {
  const t = useTranslations('stats.charts');
  const label = useMonthLabel();
  const data = months.map((m) => ({ month: label(m.month, 'axis'), ...m.figures }));
  const callsSummary = t('callsSummary', {
    summary: months.map((m) => t('callsMonth', { month: label(m.month), consultations: m.figures.consultations, conferences: m.figures.conferences })).join('; '),
  });
  const invitationsSummary = t('invitationsSummary', {
    summary: months
      .map((m) => t('invitationsMonth', { month: label(m.month), manual: m.figures.invitationsManual, email: m.figures.invitationsEmail, sms: m.figures.invitationsSms }))
      .join('; '),
  });
  // Not focusable: the chart is hidden from assistive technology, which reads the summary instead.
  const common = { data, margin: { top: 4, right: 8, bottom: 0, left: -16 }, accessibilityLayer: false };
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <ChartFigure title={t('calls')} summary={callsSummary} testId="chart-calls">
        <BarChart {...common}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="month" tick={AXIS} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
          <Tooltip cursor={{ fill: '#f1f5f9' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar dataKey="consultations" name={t('consultations')} stackId="calls" fill={SERIES_COLOURS.consultations} maxBarSize={48} />
          <Bar dataKey="conferences" name={t('conferences')} stackId="calls" fill={SERIES_COLOURS.conferences} maxBarSize={48} radius={[3, 3, 0, 0]} />
        </BarChart>
      </ChartFigure>
      <ChartFigure title={t('invitations')} summary={invitationsSummary} testId="chart-invitations">
        <BarChart {...common}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="month" tick={AXIS} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
          <Tooltip cursor={{ fill: '#f1f5f9' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar dataKey="invitationsManual" name={t('manual')} fill={SERIES_COLOURS.manual} maxBarSize={28} radius={[3, 3, 0, 0]} />
          <Bar dataKey="invitationsEmail" name={t('email')} fill={SERIES_COLOURS.email} maxBarSize={28} radius={[3, 3, 0, 0]} />
          <Bar dataKey="invitationsSms" name={t('sms')} fill={SERIES_COLOURS.sms} maxBarSize={28} radius={[3, 3, 0, 0]} />
        </BarChart>
      </ChartFigure>
    </div>
  );
}
