'use client';
import { useFormatter, useTranslations } from 'next-intl';
import type { OpenedStudy } from '@/lib/client/studies/open';

/** "Zugestellt" and "Geöffnet" as the recipient signed them; a receipt that does not verify is shown as such, never as given. */
export function Receipts({ study }: { study: OpenedStudy }) {
  const t = useTranslations('studyDetail.receipts');
  const format = useFormatter();
  const v = study.view;
  const line = (kind: 'delivered' | 'opened') => {
    const r = v[kind];
    const ok = study[kind];
    if (!r) return <span className="text-slate-500">{t(`${kind}None`)}</span>;
    if (!ok) return <span className="font-medium text-red-700">{t('invalid')}</span>;
    return (
      <span className="text-emerald-800">
        {t(kind, { at: format.dateTime(new Date(r.at), { dateStyle: 'medium', timeStyle: 'short' }), by: r.by?.shortName ?? '–' })}
      </span>
    );
  };
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="receipts">
      <dt className="text-slate-600">{t('deliveredLabel')}</dt>
      <dd data-testid="receipt-delivered">{v.complete ? line('delivered') : <span className="text-amber-700">{t('uploading')}</span>}</dd>
      <dt className="text-slate-600">{t('openedLabel')}</dt>
      <dd data-testid="receipt-opened">{line('opened')}</dd>
    </dl>
  );
}
