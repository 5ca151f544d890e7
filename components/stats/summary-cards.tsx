'use client';
import type { ReactNode } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import { averageSeconds, patientInvitations } from '@/lib/stats/figures';
import type { StatsReport } from '@/lib/stats/report';
import type { Json } from '@/lib/client/api';
import { useDuration } from './use-stats-format';

function StatCard({ id, label, value, hint }: { id: string; label: string; value: string; hint: ReactNode }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={`stat-${id}`}>
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums" data-testid={`stat-${id}-value`}>
        {value}
      </dd>
      <dd className="mt-1 text-xs text-slate-600">{hint}</dd>
    </div>
  );
}

/** Konsultationen, Gesprächsdauer, Konferenzen, Einladungen and (for the organisation) SMS over the whole range. */
export function SummaryCards({ report }: { report: Json<StatsReport> }) {
  const t = useTranslations('stats.cards');
  const format = useFormatter();
  const duration = useDuration();
  const n = (x: number) => format.number(x);
  const f = report.total;
  const showSms = report.organisationView;
  return (
    <dl className={`grid gap-4 sm:grid-cols-2 ${showSms ? 'lg:grid-cols-5' : 'lg:grid-cols-4'}`}>
      <StatCard id="consultations" label={t('consultations')} value={n(f.consultations)} hint={t('consultationsHint', { average: duration(averageSeconds(f.consultationSeconds, f.consultations)) })} />
      <StatCard
        id="duration"
        label={t('duration')}
        value={duration(f.consultationSeconds + f.conferenceSeconds)}
        hint={t('durationHint', { consultations: duration(f.consultationSeconds), conferences: duration(f.conferenceSeconds) })}
      />
      <StatCard id="conferences" label={t('conferences')} value={n(f.conferences)} hint={t('conferencesHint', { participants: f.conferenceParticipants, invitations: f.conferenceInvitations })} />
      <StatCard
        id="invitations"
        label={t('invitations')}
        value={n(patientInvitations(f))}
        hint={t('invitationsHint', { manual: n(f.invitationsManual), email: n(f.invitationsEmail), sms: n(f.invitationsSms) })}
      />
      {showSms && <StatCard id="sms" label={t('sms')} value={report.totalSms === null ? '–' : n(report.totalSms)} hint={report.totalSms === null ? t('smsFiltered') : t('smsHint')} />}
    </dl>
  );
}
