'use client';
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { useSession } from '@/components/app/session-context';
import { api, type Json } from '@/lib/client/api';
import type { TStudySettings } from '@/lib/studies/schemas';
import type { monthlySends } from '@/lib/studies/service';

export type OrgStudies = Json<TStudySettings & { month: Awaited<ReturnType<typeof monthlySends>> }>;

/**
 * "3 von 9 Studien in diesem Monat gesendet (Tarif basis)". Loaded again
 * whenever `sentCount` changes, so a study just sent is counted. A failure
 * leaves the line out: the send page checks the limit itself.
 */
export function MonthQuota({ sentCount }: { sentCount: number | undefined }) {
  const t = useTranslations('studyList');
  const { plan } = useSession();
  const [month, setMonth] = useState<OrgStudies['month'] | null>(null);
  useEffect(() => {
    let live = true;
    api<OrgStudies>('/api/org/studies')
      .then((r) => live && setMonth(r.month))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [sentCount]);
  if (!month) return null;
  const full = month.limit !== null && month.sent >= month.limit;
  return (
    <p className={`text-sm ${full ? 'font-medium text-amber-900' : 'text-slate-600'}`} data-testid="study-quota">
      {month.limit === null ? t('quotaUnlimited', { sent: month.sent, plan }) : t('quota', { sent: month.sent, limit: month.limit, plan })}
      {full && ` ${t('quotaFull')}`}
    </p>
  );
}
