'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import type { OpenedStudy } from '@/lib/client/studies/open';
import { studyCounts } from '@/lib/studies/counts';
import { dicomDate, personName } from '@/lib/studies/format';
import { useObjectLabel } from '../object-label';
import { useListFormat } from './format';
import { Cell, RowLink } from '@/components/ui/stacked-table';

export const studyHref = (id: string) => `/app/studien/${id}`;

/** Patient (linking to the study) and the study itself, as decrypted in this browser. */
export function PatientAndStudyCells({ opened }: { opened: OpenedStudy }) {
  const t = useTranslations('studyList');
  const { patient, study } = opened.manifest;
  return (
    <>
      <Cell label={t('col.patient')}>
        <RowLink href={studyHref(opened.view.id)}>{personName(patient.name) || '–'}</RowLink>
        <span className="block text-slate-600">{t('born', { date: dicomDate(patient.birthDate) || '–' })}</span>
      </Cell>
      <Cell label={t('col.study')}>
        <span className="block">
          {dicomDate(study.date) || '–'}
          {study.modalities.length > 0 && <span className="ml-2 text-slate-600">{study.modalities.join(', ')}</span>}
        </span>
        <span className="block text-slate-600">{study.description || t('noDescription')}</span>
      </Cell>
    </>
  );
}

/** Series, images, objects without an image and documents (when the study opened), and the encrypted size. */
export function SizeCell({ opened, bytes }: { opened: OpenedStudy | null; bytes: number }) {
  const t = useTranslations('studyList');
  const f = useListFormat();
  const objectLabel = useObjectLabel();
  const counts = opened && studyCounts(opened.manifest);
  return (
    <Cell label={t('col.size')}>
      {counts && (
        <span className="block" data-testid="study-counts">
          {t('counts', { series: counts.series, images: counts.images })}
          {counts.objectModalities.length > 0 && <span className="block text-slate-600">{t('withoutImage', { labels: counts.objectModalities.map(objectLabel).join(', ') })}</span>}
          {counts.documents > 0 && <span className="block text-slate-600">{t('documents', { count: counts.documents })}</span>}
        </span>
      )}
      <span className="block text-slate-600">{f.bytes(bytes)}</span>
    </Cell>
  );
}

/** In place of patient and study: why this browser refused to open it. Nothing of the content is shown. */
export function RefusedCell({ id, error }: { id: string; error: string | null }) {
  const t = useTranslations('studyList');
  const eMsg = useErrorMessage();
  return (
    <Cell label={t('col.patient')} colSpan={2}>
      <span className="block font-semibold text-red-900">{t('refused')}</span>
      <span className="block text-red-900">{eMsg(error ?? 'study_invalid')}</span>
      <Link href={studyHref(id)} className="mt-1 inline-block text-sm font-medium text-red-900 underline underline-offset-2">
        {t('details')}
      </Link>
    </Cell>
  );
}
