'use client';
// After a member was removed: the appointments still to come carry codes that
// member could read. An admin's browser gives them new codes here and lists
// the patients who need the new link.
import { useCallback, useEffect, useState } from 'react';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { api, type Json } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { renewCodes } from '@/lib/protocol/appointments';
import type { StaleAppointmentRow } from '@/lib/appointments/rekey';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';

type Stale = Json<StaleAppointmentRow>;
type Renewed = { id: string; patientName: string; startsAt: string; konsilMessaged: boolean };

export function StaleCodesPanel({ refresh = 0 }: { refresh?: number }) {
  const t = useTranslations('staleCodes');
  const format = useFormatter();
  const eMsg = useErrorMessage();
  const keys = useKeys();
  const [stale, setStale] = useState<Stale[] | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [renewed, setRenewed] = useState<Renewed[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ appointments: Stale[] }>('/api/appointments/stale-codes')
      .then((r) => setStale(r.appointments))
      .catch(() => setStale([]));
  }, []);
  useEffect(() => load(), [load, refresh]);

  const renew = async () => {
    if (!keys?.orgKey || !stale) return;
    setError(null);
    setProgress(0);
    const done: Renewed[] = [];
    try {
      for (const [i, a] of stale.entries()) {
        const r = await renewCodes(keys.orgKey, keys.orgId, a);
        if (!r) continue;
        await api(`/api/appointments/${a.id}/codes`, { body: r.body });
        done.push({ id: a.id, patientName: r.record.patientName, startsAt: a.startsAt, konsilMessaged: a.konsilMessaged });
        setProgress(i + 1);
      }
    } catch (e) {
      setError(errorText(eMsg, e));
    } finally {
      setRenewed((prev) => [...prev, ...done]);
      setProgress(null);
      load();
    }
  };

  if (!stale || (stale.length === 0 && renewed.length === 0)) return null;
  return (
    <div className="mb-6 space-y-4" data-testid="stale-codes">
      {stale.length > 0 && (
        <Alert tone="warning" title={t('title', { count: stale.length })}>
          <p>{t('body')}</p>
          {error && <p className="mt-2 font-medium text-red-800">{error}</p>}
          <Button type="button" className="mt-3" pending={progress !== null} disabled={progress !== null || !keys?.orgKey} onClick={() => void renew()} data-testid="renew-codes">
            {progress !== null ? t('renewing', { done: progress, total: stale.length }) : t('renew', { count: stale.length })}
          </Button>
        </Alert>
      )}
      {renewed.length > 0 && (
        <Alert tone="info" title={t('doneTitle', { count: renewed.length })}>
          <p>{t('doneBody')}</p>
          <ul className="mt-2 space-y-1" data-testid="renewed-list">
            {renewed.map((r) => (
              <li key={r.id}>
                <Link href={`/app/termine/${r.id}`} className="font-medium underline">
                  {r.patientName}
                </Link>{' '}
                · {format.dateTime(new Date(r.startsAt), { dateStyle: 'medium', timeStyle: 'short' })} ·{' '}
                <span className={r.konsilMessaged ? 'font-semibold' : ''}>{r.konsilMessaged ? t('konsilMessaged') : t('sendLink')}</span>
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </div>
  );
}
