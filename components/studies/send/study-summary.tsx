'use client';
import { useLocale, useTranslations } from 'next-intl';
import { VIEWABLE_SYNTAXES } from '@/lib/dicom/inspect';
import type { StudySummary, Summary } from '@/lib/dicom/summary';
import { dicomDate, formatBytes, personName } from '@/lib/studies/format';
import { Alert } from '@/components/ui/alert';
import { useObjectLabel } from '../object-label';

/** One study found among the picked files, as the sender checks it before sending. */
export function StudyCard({ s, selected, onSelect, selectable }: { s: StudySummary; selected: boolean; onSelect: () => void; selectable: boolean }) {
  const t = useTranslations('studySend.summary');
  const locale = useLocale();
  const objectLabel = useObjectLabel();
  return (
    <div className={`rounded-lg bg-white p-4 shadow-sm ring-1 ${selected ? 'ring-2 ring-brand-500' : 'ring-slate-200'}`}>
      <label className="flex items-start gap-3">
        {selectable && <input type="radio" name="study" checked={selected} onChange={onSelect} disabled={s.patientsDiffer} className="mt-1" />}
        <div className="min-w-0 flex-1">
          <p className="font-semibold text-slate-900" data-testid="summary-patient">
            {personName(s.patient.name) || t('noName')}
            <span className="ml-2 font-normal text-slate-600">
              {t('born')} {dicomDate(s.patient.birthDate) || '–'} · {t('patientId')} {s.patient.id || '–'}
            </span>
          </p>
          <p className="text-sm text-slate-700">
            {dicomDate(s.date) || t('noDate')} · {s.description || t('noDescription')} · {s.modalities.join(', ')}
          </p>
          <p className="mt-1 text-sm text-slate-600" data-testid="summary-counts">
            {t('counts', { series: s.series.length, images: s.images, objects: s.objects, files: s.paths.length })} · {formatBytes(s.bytes, locale)}
          </p>
        </div>
      </label>
      <ul className="mt-3 divide-y divide-slate-100 text-sm">
        {s.series.map((x) => (
          <li key={x.seriesInstanceUid} className="flex justify-between gap-3 py-1">
            <span className="truncate text-slate-700">
              {x.number !== null ? `${x.number} · ` : ''}
              {x.description || t('noDescription')} ({x.modality})
            </span>
            <span className="shrink-0 text-slate-500" data-testid="summary-series-count">
              {x.images === 0 ? objectLabel(x.modality) : x.objects === 0 ? t('images', { n: x.images }) : `${t('images', { n: x.images })} · ${t('objects', { n: x.objects })}`}
            </span>
          </li>
        ))}
      </ul>
      {s.patientsDiffer && (
        <Alert tone="error" className="mt-3">
          {t('patientsDiffer')}
        </Alert>
      )}
      {s.withoutModality > 0 && (
        <Alert tone="warning" className="mt-3">
          {t('withoutModality', { n: s.withoutModality })}
        </Alert>
      )}
      {s.notViewable.length > 0 && (
        <Alert tone="warning" className="mt-3">
          {t('notViewable', { syntaxes: s.notViewable.map((u) => VIEWABLE_SYNTAXES.get(u) ?? u).join(', ') })}
        </Alert>
      )}
    </div>
  );
}

export function Skipped({ summary }: { summary: Summary }) {
  const t = useTranslations('studySend.summary');
  const locale = useLocale();
  return (
    <div className="space-y-3 text-sm">
      {summary.attachments.length > 0 && (
        <div>
          <p className="font-medium text-slate-800">{t('attachments', { n: summary.attachments.length })}</p>
          <ul className="mt-1 list-inside list-disc text-slate-600">
            {summary.attachments.map((a) => (
              <li key={a.path}>
                {a.path} ({a.kind.toUpperCase()}, {formatBytes(a.size, locale)})
              </li>
            ))}
          </ul>
        </div>
      )}
      {summary.skipped.length > 0 && (
        <details className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <summary className="cursor-pointer font-medium text-slate-800">{t('skipped', { n: summary.skipped.length })}</summary>
          <ul className="mt-2 space-y-1 text-slate-600">
            {summary.skipped.map((x) => (
              <li key={x.path}>
                <span className="font-mono text-xs">{x.path}</span> – {t(`reasons.${x.reason}`)}
                {x.detail ? ` (${x.detail})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
