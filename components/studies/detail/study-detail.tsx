'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { LazyStudyViewer } from '@/components/viewer/lazy-viewer';
import { ViewerFrame } from '@/components/viewer/viewer-frame';
import { loadFile } from '@/lib/client/studies/files';
import type { OpenedStudy } from '@/lib/client/studies/open';
import { isImage, objectSeries, studyCounts } from '@/lib/studies/counts';
import { dicomDate, formatBytes, personName } from '@/lib/studies/format';
import type { ViewerSource } from '@/lib/viewer/types';
import { useObjectLabel } from '../object-label';
import { Receipts } from './receipts';
import { StudyActions } from './study-actions';
import { useStudy } from './use-study';

/**
 * The viewer's files: images by series and instance number, attachments after
 * them. Series without an image (reports, waveforms) are not offered as image
 * series; the viewer lists them apart (objectSeries).
 */
export function viewerSource(study: OpenedStudy): ViewerSource {
  const m = study.manifest;
  const objects = new Set(objectSeries(m).map((s) => s.seriesInstanceUid));
  const modalityOf = new Map(m.series.map((s) => [s.seriesInstanceUid, s.modality]));
  const order = new Map(m.series.map((s, i) => [s.seriesInstanceUid, i]));
  // A report beside images in one series is left out of the stack too.
  const files = m.files.filter((f) => f.kind !== 'dicom' || isImage(f, modalityOf)).sort(
    (a, b) =>
      (order.get(a.seriesInstanceUid ?? '') ?? 1e9) - (order.get(b.seriesInstanceUid ?? '') ?? 1e9) ||
      (a.instanceNumber ?? 1e9) - (b.instanceNumber ?? 1e9) ||
      a.path.localeCompare(b.path),
  );
  return {
    series: m.series.filter((s) => !objects.has(s.seriesInstanceUid)),
    files: files.map((f) => ({ fileId: f.fileId, path: f.path, kind: f.kind, seriesInstanceUid: f.seriesInstanceUid, sopInstanceUid: f.sopInstanceUid, frames: f.frames })),
    load: (fileId) => loadFile(study, fileId),
  };
}

function Facts({ study }: { study: OpenedStudy }) {
  const t = useTranslations('studyDetail');
  const tl = useTranslations('studyList');
  const format = useFormatter();
  const locale = useLocale();
  const objectLabel = useObjectLabel();
  const { manifest: m, view: v } = study;
  const counts = studyCounts(m);
  const attachments = m.files.filter((f) => f.kind !== 'dicom');
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('patient')}</dt>
        <dd className="font-medium text-slate-900" data-testid="study-patient">
          {personName(m.patient.name) || '–'}
        </dd>
        <dt className="text-slate-600">{t('born')}</dt>
        <dd>{dicomDate(m.patient.birthDate) || '–'}</dd>
        <dt className="text-slate-600">{t('patientId')}</dt>
        <dd>{m.patient.id || '–'}</dd>
        <dt className="text-slate-600">{t('study')}</dt>
        <dd data-testid="study-description">
          {dicomDate(m.study.date)} · {m.study.description || '–'} · {m.study.modalities.join(', ')}
        </dd>
        <dt className="text-slate-600">{t('size')}</dt>
        <dd data-testid="study-size">{t('sizeValue', { series: counts.series, images: counts.images, size: formatBytes(v.bytes, locale) })}</dd>
        {counts.objectModalities.length > 0 && (
          <>
            <dt className="text-slate-600">{t('withoutImage')}</dt>
            <dd>{counts.objectModalities.map(objectLabel).join(', ')}</dd>
          </>
        )}
      </dl>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('from')}</dt>
        <dd data-testid="study-from">
          {v.sender.gone ? tl('senderGone', { name: v.sender.orgName }) : v.sender.orgName} · {v.sender.user?.shortName ?? '–'} ({v.sender.mailboxName ?? '–'})
        </dd>
        <dt className="text-slate-600">{t('to')}</dt>
        <dd>
          {v.recipient.orgName} – {v.recipient.mailboxName}
        </dd>
        <dt className="text-slate-600">{t('sentAt')}</dt>
        <dd>{format.dateTime(new Date(v.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</dd>
        {attachments.length > 0 && (
          <>
            <dt className="text-slate-600">{t('attachments')}</dt>
            <dd>{attachments.map((a) => a.path.split('/').at(-1)).join(', ')}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

export function StudyDetail({ id }: { id: string }) {
  const t = useTranslations('studyDetail');
  const eMsg = useErrorMessage();
  const { study, error, gone } = useStudy(id);
  const [viewing, setViewing] = useState(false);
  const source = useMemo(() => (study ? viewerSource(study) : null), [study]);
  const objects = useMemo(() => (study ? objectSeries(study.manifest) : []), [study]);
  const back = study?.view.box === 'sent' ? '/app/studien?box=sent' : '/app/studien';

  return (
    <div className="space-y-6">
      <Link href={back} className="text-sm font-medium text-brand-700 hover:underline">
        ← {t('back')}
      </Link>
      {gone && <Alert tone="warning">{t('gone')}</Alert>}
      {error && (
        <Alert tone="error" title={t('refused')}>
          {eMsg(error)}
        </Alert>
      )}
      {!study && !error && !gone && <p className="text-sm text-slate-600">{t('opening')}</p>}
      {study && (
        <>
          <Card>
            <h1 className="mb-4 text-xl font-semibold text-slate-900">{study.manifest.study.description || t('untitled')}</h1>
            <Facts study={study} />
            {study.manifest.message && (
              <div className="mt-4 rounded-md bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200" data-testid="study-message">
                {study.manifest.message}
              </div>
            )}
            <div className="mt-4">
              <Receipts study={study} />
            </div>
            {study.view.recipientDeleted && <Alert tone="info" className="mt-4">{t('recipientDeleted')}</Alert>}
            <div className="mt-6">
              <StudyActions study={study} viewing={viewing} onView={() => setViewing((v) => !v)} />
            </div>
          </Card>
          {viewing && source && (
            <ViewerFrame>
              <LazyStudyViewer source={source} objects={objects} />
            </ViewerFrame>
          )}
        </>
      )}
    </div>
  );
}
