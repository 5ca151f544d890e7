'use client';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { PageTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/table';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { api, type Json } from '@/lib/client/api';
import { setKeys } from '@/lib/client/key-store';
import type { DeviceDecision, DeviceRow } from '@/lib/devices/service';
import { useApiResource } from '@/components/app/use-api-resource';
import { useSession } from '@/components/app/session-context';

type Device = Json<DeviceRow>;

export function DevicesClient() {
  const t = useTranslations('devices');
  const format = useFormatter();
  const router = useRouter();
  const s = useSession();
  const { data, error, busy, run } = useApiResource<{ devices: Device[] }>('/api/devices');
  const devices = data?.devices ?? [];
  const isAdmin = s.role !== 'member';

  const act = async (d: Device, action: 'approve' | 'reject' | 'revoke') => {
    if (action === 'revoke' && !window.confirm(t('revokeConfirm', { device: d.name }))) return;
    const r = await run(() => api<Json<DeviceDecision>>(`/api/devices/${d.id}/${action}`, { body: {} }), {
      reload: d.id !== s.deviceId,
    });
    if (r?.endedOwnSession) {
      setKeys(null);
      router.push('/login');
    }
  };

  const date = (d: string | null) => (d ? format.dateTime(new Date(d), { dateStyle: 'medium', timeStyle: 'short' }) : t('never'));
  const pending = devices.filter((d) => d.status === 'pending');

  const table = (rows: Device[], testid: string) => (
    <DataTable testId={testid} headers={[t('name'), t('user'), t('status'), t('created'), t('lastLogin'), t('actions')]}>
      {rows.length === 0 && (
        <tr>
          <td colSpan={6} className="px-4 py-3 text-slate-500">
            {t('none')}
          </td>
        </tr>
      )}
      {rows.map((d) => (
        <tr key={d.id} data-testid={`device-${d.name}`}>
          <td className="px-4 py-2 font-medium">
            {d.name} {d.id === s.deviceId && <span className="text-xs text-slate-500">({t('current')})</span>}
          </td>
          <td className="px-4 py-2">{d.userShortName}</td>
          <td className="px-4 py-2">
            <span
              className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                d.status === 'approved'
                  ? 'bg-emerald-100 text-emerald-900'
                  : d.status === 'pending'
                    ? 'bg-amber-100 text-amber-900'
                    : 'bg-slate-200 text-slate-700'
              }`}
            >
              {t(`statuses.${d.status}`)}
            </span>
          </td>
          <td className="px-4 py-2">{date(d.createdAt)}</td>
          <td className="px-4 py-2">{date(d.lastLoginAt)}</td>
          <td className="space-x-2 whitespace-nowrap px-4 py-2">
            {isAdmin && d.status === 'pending' && (
              <>
                <Button type="button" onClick={() => act(d, 'approve')} disabled={busy}>
                  {t('approve')}
                </Button>
                <Button type="button" variant="secondary" onClick={() => act(d, 'reject')} disabled={busy}>
                  {t('reject')}
                </Button>
              </>
            )}
            {d.status === 'approved' && (isAdmin || d.id === s.deviceId) && (
              <Button type="button" variant="ghost" onClick={() => act(d, 'revoke')} disabled={busy}>
                {t('revoke')}
              </Button>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {error && <Alert tone="error" className="mb-4">{error}</Alert>}
      {isAdmin && (
        <section className="mb-8">
          <h2 className="mb-2 font-semibold">{t('pendingTitle')}</h2>
          {table(pending, 'pending-devices')}
        </section>
      )}
      <section>
        <h2 className="mb-2 font-semibold">{t('allTitle')}</h2>
        {table(devices, 'all-devices')}
      </section>
    </div>
  );
}
