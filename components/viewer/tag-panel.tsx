'use client';
// All DICOM tags of the image in the active pane, read with dcmjs from the
// file's bytes when the panel is open, with a filter over tag, name and value.
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { listTags, type TagRow } from '@/lib/viewer/tags';
import { Icon } from './icons';

export function TagPanel({ fileId, load, onClose }: { fileId: string | null; load: (fileId: string) => Promise<ArrayBuffer>; onClose: () => void }) {
  const t = useTranslations('viewer.tagPanel');
  const [read, setRead] = useState<{ fileId: string; rows: TagRow[] } | null>(null);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (!fileId) return;
    let live = true;
    load(fileId)
      .then((bytes) => live && setRead({ fileId, rows: listTags(bytes) }))
      .catch(() => live && setRead({ fileId, rows: [] }));
    return () => {
      live = false;
    };
  }, [fileId, load]);
  const rows = read && read.fileId === fileId ? read.rows : null;
  const q = filter.trim().toLowerCase();
  const shown = rows && q ? rows.filter((r) => `${r.tag} ${r.name} ${r.value}`.toLowerCase().includes(q)) : rows;
  return (
    <section aria-label={t('title')} className="flex min-h-0 flex-1 flex-col border-l border-neutral-800 bg-neutral-900 text-neutral-200">
      <div className="flex items-center justify-between gap-2 border-b border-neutral-800 py-1 pl-3 pr-1">
        <h2 className="text-sm font-semibold">{t('title')}</h2>
        {rows && <span className="text-xs text-neutral-400">{t('count', { count: rows.length })}</span>}
        <button type="button" onClick={onClose} aria-label={t('close')} title={t('close')} className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded text-neutral-400 outline-none hover:bg-neutral-800 hover:text-white focus-visible:ring-2 focus-visible:ring-sky-400 pointer-coarse:h-11 pointer-coarse:w-11">
          <Icon name="close" className="h-4 w-4" />
        </button>
      </div>
      <div className="border-b border-neutral-800 p-2">
        <label className="sr-only" htmlFor="viewer-tag-filter">
          {t('filter')}
        </label>
        <input
          id="viewer-tag-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={t('filterPlaceholder')}
          className="w-full rounded border border-neutral-700 bg-neutral-950 px-2 py-1 text-xs text-neutral-100 placeholder:text-neutral-400 pointer-coarse:h-11 pointer-coarse:text-base"
        />
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        {!shown ? (
          <p className="p-3 text-xs text-neutral-400">{t('loading')}</p>
        ) : (
          <table className="w-full border-collapse font-mono text-[11px] leading-4" data-testid="tag-table">
            <thead className="sticky top-0 bg-neutral-900 text-left text-neutral-400">
              <tr>
                <th className="px-2 py-1 font-medium">{t('tag')}</th>
                <th className="px-2 py-1 font-medium">
                  {t('name')}
                  <span className="sm:hidden"> / {t('value')}</span>
                </th>
                <th className="px-1 py-1 font-medium">{t('vr')}</th>
                <th className="hidden px-2 py-1 font-medium sm:table-cell">{t('value')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r, k) => (
                <tr key={k} className="border-t border-neutral-800/70 align-top">
                  <td className="whitespace-nowrap px-2 py-0.5 text-sky-300">{r.tag}</td>
                  <td className="px-2 py-0.5 text-neutral-300" style={{ paddingLeft: `${0.5 + r.depth * 0.75}rem` }}>
                    {r.name}
                    {/* On a phone the value goes under the name: four columns leave it no width. */}
                    {r.value && <span className="block break-all text-neutral-100 sm:hidden">{r.value}</span>}
                  </td>
                  <td className="px-1 py-0.5 text-neutral-400">{r.vr}</td>
                  <td className="hidden break-all px-2 py-0.5 text-neutral-100 sm:table-cell">{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
