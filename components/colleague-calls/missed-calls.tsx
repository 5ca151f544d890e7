'use client';
import { useLocale, useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';
import type { Json } from '@/lib/client/api';
import type { IncomingCallRow } from '@/lib/colleague-calls/service';
import { useApiResource } from '@/components/app/use-api-resource';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { api } from '@/lib/client/api';
import { CallButton } from './call-button';

type Missed = Json<IncomingCallRow>;

/** "Verpasste Anrufe": declined and unanswered calls of the last two weeks, each with a call back and "Erledigt". */
export function MissedCalls({ onError }: { onError: (e: unknown) => void }) {
  const t = useTranslations('colleagueCalls');
  const locale = useLocale();
  const { data, error, busy, run } = useApiResource<{ calls: Missed[] }>('/api/colleague-calls/missed');
  const calls = data?.calls ?? [];
  const fmt = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Berlin' });
  return (
    <Card className="mt-6">
      <h2 className="font-semibold">{t('missedTitle')}</h2>
      {error && <Alert tone="error">{error}</Alert>}
      <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="missed-calls">
        {calls.length === 0 && <li className="py-2 text-slate-600">{t('missedEmpty')}</li>}
        {calls.map((c) => (
          <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="missed-call" data-state={c.state}>
            <span>
              <span className="font-medium">{c.callerShortName}</span> · <time dateTime={c.createdAt}>{fmt.format(new Date(c.createdAt))}</time> ·{' '}
              <span className="text-slate-600">{c.state === 'declined' ? t('missedDeclined') : t('missedUnanswered')}</span>
            </span>
            <span className="flex items-center gap-1">
              <CallButton userId={c.callerId} name={c.callerShortName} onError={onError} variant="ghost" callBack />
              <Button
                variant="ghost"
                disabled={busy}
                aria-label={t('dismissMember', { name: c.callerShortName })}
                data-testid="dismiss-missed"
                onClick={() => void run(() => api(`/api/colleague-calls/${c.id}/dismiss`, { body: {} }))}
              >
                {t('dismiss')}
              </Button>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
