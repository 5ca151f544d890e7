'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { ListedStudy } from '@/components/studies/use-studies';
import type { StudyView } from '@/lib/client/studies/open';
import { useListFormat } from './format';
import { Badge } from '@/components/ui/badge';

/**
 * Where a sent study stands. A receipt counts only when this browser verified
 * the recipient member's signature; one the server shows but that does not
 * verify is flagged, never shown as delivered or opened.
 */
export function SentStatus({ study }: { study: ListedStudy }) {
  const t = useTranslations('studyList');
  const f = useListFormat();
  const { view, opened } = study;
  const receipt = (r: NonNullable<StudyView['delivered']>) => t('receiptBy', { date: f.when(r.at), who: r.by?.shortName ?? '–' });
  const delivered = opened?.delivered && view.delivered;
  const read = opened?.opened && view.opened;
  const forged = !!opened && ((!!view.delivered && !opened.delivered) || (!!view.opened && !opened.opened));

  return (
    <div className="space-y-1">
      {!view.complete ? (
        <>
          <Badge tone="warning">{t('status.incomplete')}</Badge>
          <Link href={`/app/studien/senden?resume=${view.id}`} className="relative z-10 block text-sm font-medium text-brand-700 underline underline-offset-2">
            {t('resume')}
          </Link>
        </>
      ) : !opened ? (
        <Badge tone="error">{t('status.refused')}</Badge>
      ) : read ? (
        <Badge tone="success">{t('status.opened')}</Badge>
      ) : delivered ? (
        <Badge tone="success">{t('status.delivered')}</Badge>
      ) : (
        <Badge tone="neutral">{t('status.sent')}</Badge>
      )}
      {delivered && (
        <span className="block text-xs text-slate-600">
          {t('deliveredLine')}: {receipt(delivered)}
        </span>
      )}
      {read && (
        <span className="block text-xs text-slate-600">
          {t('openedLine')}: {receipt(read)}
        </span>
      )}
      {forged && (
        <span className="block">
          <Badge tone="warning">{t('status.receiptInvalid')}</Badge>
          <span className="mt-1 block text-xs text-amber-900">{t('receiptInvalidHint')}</span>
        </span>
      )}
      {view.recipientDeleted && (
        <span className="block">
          <Badge tone="neutral">{t('status.recipientDeleted')}</Badge>
        </span>
      )}
    </div>
  );
}
