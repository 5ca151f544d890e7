'use client';
import { useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { fromDrop, fromFileList, type Picked } from '@/lib/client/studies/prepare';

/** Files, a folder or a CD/DVD: by drag and drop or by the two pickers. Nothing leaves the browser here. */
export function DropZone({ onPicked, compact = false }: { onPicked: (files: Picked[]) => void; compact?: boolean }) {
  const t = useTranslations('studySend.pick');
  const [over, setOver] = useState(false);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const take = (list: FileList | null) => {
    if (list?.length) onPicked(fromFileList(list));
  };
  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void fromDrop(e.dataTransfer.items).then((p) => p.length && onPicked(p));
      }}
      className={`flex flex-col items-center justify-center gap-4 rounded-lg border-2 border-dashed px-6 text-center transition-colors ${compact ? 'py-6' : 'py-12'} ${over ? 'border-brand-500 bg-brand-50' : 'border-slate-300 bg-white'}`}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-10 w-10 text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path d="M12 16V4m0 0l-4 4m4-4l4 4M4 16v2a2 2 0 002 2h12a2 2 0 002-2v-2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <div>
        <p className="font-medium text-slate-900">{t('drop')}</p>
        <p className="mt-1 text-sm text-slate-600">{t('dropHint')}</p>
      </div>
      <div className="flex flex-wrap justify-center gap-3">
        <button type="button" onClick={() => files.current?.click()} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700">
          {t('files')}
        </button>
        <button type="button" onClick={() => folder.current?.click()} className="rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
          {t('folder')}
        </button>
      </div>
      <input ref={files} type="file" multiple hidden data-testid="pick-files" onChange={(e) => take(e.target.files)} />
      <input
        ref={folder}
        type="file"
        multiple
        hidden
        data-testid="pick-folder"
        onChange={(e) => take(e.target.files)}
        {...({ webkitdirectory: '' } as Record<string, string>)}
      />
      <p className="text-xs text-slate-500">{t('private')}</p>
    </div>
  );
}
