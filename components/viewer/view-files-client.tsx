'use client';
// "Dateien ansehen": DICOM files, a folder or a CD from this computer, read
// and shown in this tab only. Nothing is sent anywhere: the files are read
// with the File API and handed to the viewer one at a time as it needs them.
import { useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { PageTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { LazyStudyViewer } from './lazy-viewer';
import { ViewerFrame } from './viewer-frame';
import { personName } from '@/lib/studies/format';
import { groupLocalFiles, type LocalEntry, type LocalStudy } from '@/lib/viewer/local-study';
import { filesFromDrop, filesFromInput, readPicked, type PickedLocal } from '@/lib/viewer/read-local';
import type { ViewerSeries, ViewerSource } from '@/lib/viewer/types';

type Opened = { study: LocalStudy; source: ViewerSource; objects: ViewerSeries[] };

/** The study's source without its series that hold no image (reports, waveforms), and those series apart. */
function splitObjects(study: LocalStudy, entries: LocalEntry[], load: ViewerSource['load']): Omit<Opened, 'study'> {
  const images = entries.flatMap((e) => (e.inspected.kind === 'dicom' && e.inspected.header.image ? [e] : []));
  const imageIds = new Set(images.map((e) => e.id));
  const withImage = new Set(images.map((e) => (e.inspected.kind === 'dicom' ? e.inspected.header.seriesInstanceUid : '')));
  const isObjects = (uid: string | undefined) => !withImage.has(uid ?? '');
  return {
    source: { series: study.series.filter((s) => !isObjects(s.seriesInstanceUid)), files: study.files.filter((f) => f.kind !== 'dicom' || imageIds.has(f.fileId)), load },
    objects: study.series.filter((s) => isObjects(s.seriesInstanceUid)),
  };
}

const formatDate = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(6, 8)}.${d.slice(4, 6)}.${d.slice(0, 4)}` : d);

export function ViewFilesClient() {
  const t = useTranslations('viewFiles');
  const [reading, setReading] = useState<{ done: number; total: number } | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const open = async (picked: PickedLocal[]) => {
    if (!picked.length) return;
    setOpened(null);
    setReading({ done: 0, total: picked.length });
    const { entries, files } = await readPicked(picked, (done) => setReading({ done, total: picked.length }));
    const study = groupLocalFiles(entries);
    setOpened({ study, ...splitObjects(study, entries, (id) => files.get(id)!.arrayBuffer()) });
    setReading(null);
  };

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    await open(await filesFromDrop(e.dataTransfer.items));
  };

  const study = opened?.study;
  const images = study?.series.reduce((n, s) => n + s.images, 0) ?? 0;
  const attachments = study?.files.filter((f) => f.kind !== 'dicom').length ?? 0;
  const skippedByReason = new Map<string, number>();
  for (const s of study?.skipped ?? []) skippedByReason.set(s.reason, (skippedByReason.get(s.reason) ?? 0) + 1);

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      <p className="-mt-3 mb-4 flex items-start gap-2 text-sm text-emerald-800" data-testid="local-only">
        <svg viewBox="0 0 24 24" className="mt-0.5 h-4 w-4 shrink-0" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden="true">
          <path d="M6 11V8a6 6 0 0 1 12 0v3 M5 11h14v10H5z" />
        </svg>
        {t('local')}
      </p>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex flex-col items-center justify-center gap-3 rounded-lg border-2 border-dashed px-4 text-center ${opened ? 'py-3 sm:flex-row sm:justify-start' : 'py-10'} ${
          dragging ? 'border-brand-500 bg-brand-50' : 'border-slate-300 bg-white'
        }`}
      >
        {!opened && <p className="text-sm text-slate-600">{t('drop')}</p>}
        <div className="flex flex-wrap justify-center gap-2">
          <button type="button" onClick={() => filesInput.current?.click()} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700">
            {opened ? t('other') : t('pickFiles')}
          </button>
          <button type="button" onClick={() => folderInput.current?.click()} className="rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
            {t('pickFolder')}
          </button>
        </div>
        <input ref={filesInput} type="file" multiple className="sr-only" tabIndex={-1} aria-label={t('pickFiles')} data-testid="pick-files" onChange={(e) => e.target.files && open(filesFromInput(e.target.files))} />
        <input
          ref={folderInput}
          type="file"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-label={t('pickFolder')}
          data-testid="pick-folder"
          {...{ webkitdirectory: '' }}
          onChange={(e) => e.target.files && open(filesFromInput(e.target.files))}
        />
        {study && (
          <div className="text-left text-sm text-slate-700 sm:ml-2" data-testid="local-summary">
            {study.studies[0] && (
              <p className="font-medium text-slate-900">
                {t('patient')}: {personName(study.studies[0].patientName) || '—'} {study.studies[0].patientId && `(${study.studies[0].patientId})`} {study.studies[0].date && `· ${formatDate(study.studies[0].date)}`}
              </p>
            )}
            <p>
              {t('summary', { series: study.series.length, images })}
              {attachments > 0 && ` · ${t('attachments', { count: attachments })}`}
              {study.skipped.length > 0 && (
                <span className="text-slate-500">
                  {' · '}
                  {t('skipped', { count: study.skipped.length })} ({[...skippedByReason].map(([r, n]) => `${t(`skippedReasons.${r}`)}: ${n}`).join(', ')})
                </span>
              )}
            </p>
          </div>
        )}
      </div>
      {reading && (
        <p role="status" className="mt-3 text-sm text-slate-600">
          {t('reading', reading)}
        </p>
      )}
      {study?.onlyIndex && (
        <Alert tone="warning" className="mt-3">
          {t('onlyIndex')}
        </Alert>
      )}
      {study && !study.onlyIndex && study.files.length === 0 && (
        <Alert tone="warning" className="mt-3">
          {t('nothing')}
        </Alert>
      )}
      {opened && opened.study.files.length > 0 && (
        <ViewerFrame className="mt-4">
          <LazyStudyViewer source={opened.source} objects={opened.objects} />
        </ViewerFrame>
      )}
    </div>
  );
}
