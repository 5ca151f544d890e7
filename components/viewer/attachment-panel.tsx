'use client';
// PDF reports and JPEG images that came with the study, shown beside the
// images from object URLs (the bytes never leave the tab); PDFs in the
// browser's own viewer in a frame, which proxy.ts allows for blob: only.
import Image from 'next/image';
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { ViewerFile } from '@/lib/viewer/types';
import { Icon } from './icons';

const baseName = (p: string) => p.split('/').pop() || p;

export function AttachmentPanel({ files, load, onClose }: { files: ViewerFile[]; load: (fileId: string) => Promise<ArrayBuffer>; onClose: () => void }) {
  const t = useTranslations('viewer.attachmentPanel');
  const [chosen, setChosen] = useState<string>(files[0]?.fileId ?? '');
  const [shown, setShown] = useState<{ fileId: string; url: string } | null>(null);
  const file = files.find((f) => f.fileId === chosen) ?? files[0];
  useEffect(() => {
    if (!file) return;
    let url: string | null = null;
    let live = true;
    load(file.fileId).then((bytes) => {
      if (!live) return;
      url = URL.createObjectURL(new Blob([bytes], { type: file.kind === 'pdf' ? 'application/pdf' : 'image/jpeg' }));
      setShown({ fileId: file.fileId, url });
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file, load]);
  const current = shown && file && shown.fileId === file.fileId ? shown.url : null;
  return (
    <section aria-label={t('title')} className="flex min-h-0 flex-1 flex-col border-l border-neutral-800 bg-neutral-900 text-neutral-200">
      <div className="flex items-center justify-between gap-2 border-b border-neutral-800 py-1 pl-3 pr-1">
        <h2 className="text-sm font-semibold">{t('title')}</h2>
        <button type="button" onClick={onClose} aria-label={t('close')} title={t('close')} className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded text-neutral-400 outline-none hover:bg-neutral-800 hover:text-white focus-visible:ring-2 focus-visible:ring-sky-400 pointer-coarse:h-11 pointer-coarse:w-11">
          <Icon name="close" className="h-4 w-4" />
        </button>
      </div>
      <ul className="flex gap-1 overflow-x-auto border-b border-neutral-800 p-1.5 text-xs">
        {files.map((f) => (
          <li key={f.fileId} className="shrink-0">
            <button
              type="button"
              onClick={() => setChosen(f.fileId)}
              aria-label={t('open', { name: baseName(f.path) })}
              aria-current={f.fileId === file?.fileId || undefined}
              className={`max-w-48 truncate rounded px-2 py-1 pointer-coarse:min-h-11 ${f.fileId === file?.fileId ? 'bg-sky-700 text-white' : 'text-neutral-300 hover:bg-neutral-800'}`}
            >
              {f.kind === 'pdf' ? 'PDF' : 'JPG'} · {baseName(f.path)}
            </button>
          </li>
        ))}
      </ul>
      <div className="min-h-0 flex-1 bg-neutral-950">
        {current && file?.kind === 'pdf' && <iframe src={current} title={`${t('pdf')}: ${baseName(file.path)}`} className="h-full w-full border-0 bg-white" />}
        {current && file?.kind === 'jpeg' && (
          <div className="relative h-full w-full">
            {/* A local object URL: nothing for the image optimiser to fetch. */}
            <Image src={current} alt={`${t('jpeg')}: ${baseName(file.path)}`} fill unoptimized className="object-contain" />
          </div>
        )}
      </div>
    </section>
  );
}
