'use client';
import { useFormatter, useTranslations } from 'next-intl';
import { PageTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/table';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { api } from '@/lib/client/api';
import { useApiResource } from '@/components/app/use-api-resource';
import { useDeliveryError, type LogEntry } from './shared';

const STATUS_STYLE: Record<LogEntry['status'], string> = {
  pending: 'font-medium text-amber-700',
  sending: 'text-brand-700',
  sent: 'text-emerald-700',
  failed: 'font-medium text-red-700',
  cancelled: 'text-slate-500',
};

export function DeliveryLogClient() {
  const t = useTranslations('settings.delivery');
  const tm = useTranslations('messaging');
  const format = useFormatter();
  const errorText = useDeliveryError();
  const { data, error, busy, run, reload } = useApiResource<{ messages: LogEntry[]; canCancel: boolean }>('/api/settings/delivery');
  const messages = data?.messages ?? [];
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const kind = (template: string) => (tm.has(`templates.${template}`) ? tm(`templates.${template}`) : template);

  const cancel = (m: LogEntry) => {
    if (!window.confirm(t('cancelConfirm'))) return;
    void run(() => api(`/api/settings/delivery/${m.id}/cancel`, { body: {} }));
  };

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {error && <Alert tone="error" className="mb-4">{error}</Alert>}
      <div className="mb-3 flex justify-end">
        <Button type="button" variant="secondary" onClick={reload}>
          {t('reload')}
        </Button>
      </div>
      {data && messages.length === 0 ? (
        <p className="text-sm text-slate-600">{t('empty')}</p>
      ) : (
        <DataTable headers={[t('created'), t('channel'), t('kind'), t('status'), t('attempts'), t('lastError'), t('actions')]} testId="delivery-log">
          {messages.map((m) => (
            <tr key={m.id} data-testid="delivery-row">
              <td className="whitespace-nowrap px-4 py-2">{when(m.createdAt)}</td>
              <td className="px-4 py-2">{tm(`channels.${m.channel}`)}</td>
              <td className="px-4 py-2">
                {kind(m.template)}
                {m.sealed && (
                  <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" title={tm('sealedHint')}>
                    {tm('sealed')}
                  </span>
                )}
              </td>
              <td className="px-4 py-2">
                <span className={STATUS_STYLE[m.status]}>{tm(`statuses.${m.status}`)}</span>
                {m.status === 'sent' && m.sentAt && <span className="block text-xs text-slate-500">{when(m.sentAt)}</span>}
                {m.status === 'pending' && <span className="block text-xs text-slate-500">{t('nextAttempt', { time: when(m.nextAttemptAt) })}</span>}
              </td>
              <td className="px-4 py-2 tabular-nums">{m.attempts}</td>
              <td className="px-4 py-2 text-xs">{errorText(m.lastError) || '–'}</td>
              <td className="px-4 py-2">
                {data?.canCancel && m.status === 'pending' && (
                  <Button type="button" variant="ghost" onClick={() => cancel(m)} disabled={busy}>
                    {t('cancel')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
