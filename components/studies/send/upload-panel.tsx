'use client';
import { useEffect, useRef, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { formatBytes, formatDuration } from '@/lib/studies/format';
import type { UploadProgress } from '@/lib/client/studies/send';

/** Speed over the last seconds, so a pause or a slow file shows at once. */
function useRate(sent: number, running: boolean) {
  const samples = useRef<{ t: number; b: number }[]>([]);
  const [rate, setRate] = useState(0);
  useEffect(() => {
    const now = performance.now();
    const s = samples.current;
    s.push({ t: now, b: sent });
    while (s.length > 2 && now - s[0]!.t > 5000) s.shift();
    const first = s[0]!;
    setRate(running && now > first.t ? ((sent - first.b) * 1000) / (now - first.t) : 0);
  }, [sent, running]);
  return rate;
}

export function UploadPanel({ progress, paused, onPause, onResume }: { progress: UploadProgress; paused: boolean; onPause: () => void; onResume: () => void }) {
  const t = useTranslations('studySend.upload');
  const locale = useLocale();
  const rate = useRate(progress.sent, !paused);
  const pct = progress.total ? Math.min(100, Math.round((progress.sent / progress.total) * 100)) : 0;
  const left = rate > 0 ? (progress.total - progress.sent) / rate : Infinity;
  return (
    <div className="space-y-3">
      <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={t('label')} className="h-3 overflow-hidden rounded bg-slate-200">
        <div className="h-full bg-brand-500 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <div className="flex flex-wrap justify-between gap-2 text-sm text-slate-700" data-testid="upload-status">
        <span>
          {pct} % · {t('bytes', { sent: formatBytes(progress.sent, locale), total: formatBytes(progress.total, locale) })} · {t('files', { done: progress.filesDone, total: progress.files })}
        </span>
        <span>{paused ? t('paused') : t('speed', { rate: formatBytes(rate, locale), left: formatDuration(left) })}</span>
      </div>
      <div className="flex gap-3">
        {paused ? (
          <Button onClick={onResume}>{t('resume')}</Button>
        ) : (
          <Button variant="secondary" onClick={onPause}>
            {t('pause')}
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500">{t('reloadHint')}</p>
    </div>
  );
}
