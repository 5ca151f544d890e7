'use client';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Card, PageTitle } from '@/components/ui/card';
import { api, type Json } from '@/lib/client/api';
import type { DeviceRow } from '@/lib/devices/service';
import type { MemberRow } from '@/lib/members/service';
import { useSession } from './session-context';
import { useKeys } from '@/lib/client/key-store';
import { fingerprint, x25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import { WaitingRoomsCard } from '@/components/appointments/waiting-rooms';
import { StaleCodesPanel } from '@/components/appointments/stale-codes';

type Counts = { devices: number; members: number; smtp: { stalling: number; expiresAt: string | null } };

export function Dashboard() {
  const t = useTranslations('app');
  const tn = useTranslations('nav');
  const tsn = useTranslations('settingsNav');
  const s = useSession();
  const format = useFormatter();
  const [counts, setCounts] = useState<Counts | null>(null);
  useEffect(() => {
    Promise.all([
      api<{ devices: Json<DeviceRow>[] }>('/api/devices'),
      api<{ members: Json<MemberRow>[] }>('/api/members'),
      api<{ stallingAfterExpiry: number; passwordExpiresAt: string | null }>('/api/settings/email'),
    ])
      .then(([d, m, mail]) =>
        setCounts({
          devices: d.devices.filter((x) => x.status === 'pending').length,
          members: m.members.filter((x) => x.status === 'pending').length,
          smtp: { stalling: mail.stallingAfterExpiry, expiresAt: mail.passwordExpiresAt },
        }),
      )
      .catch(() => {});
  }, []);
  const keys = useKeys();
  // Computed from the private key this browser unlocked, not taken from the
  // server, so it is the fingerprint partners must see in the directory.
  const orgFingerprint = keys?.orgPrivateKey ? fingerprint(x25519PublicFromPrivate(keys.orgPrivateKey)) : null;
  const isAdmin = s.role !== 'member';
  return (
    <div>
      <PageTitle intro={t('orgLine', { org: s.orgName, short: s.orgShortName })}>{t('welcome', { user: s.userShortName })}</PageTitle>
      {isAdmin && counts && counts.smtp.stalling > 0 && counts.smtp.expiresAt && (
        <Alert tone="warning" className="mb-6">
          <span data-testid="smtp-expiry-warning">
            {t('smtpStalling', { count: counts.smtp.stalling, date: format.dateTime(new Date(counts.smtp.expiresAt), { dateStyle: 'medium', timeStyle: 'short' }) })}{' '}
            <Link href="/app/einstellungen/email" className="font-medium underline">
              {tsn('settings')} → {tsn('email')}
            </Link>
          </span>
        </Alert>
      )}
      {isAdmin && keys?.orgKey && <StaleCodesPanel />}
      <div className="grid gap-6 md:grid-cols-2">
        {keys?.orgKey && (
          <div className="md:col-span-2">
            <WaitingRoomsCard />
          </div>
        )}
        <Card>
          <dl className="space-y-2 text-sm">
            <div>{t('plan', { plan: s.plan })}</div>
            <div>{t('device', { device: s.deviceName })}</div>
            <div>{t(`role.${s.role}`)}</div>
          </dl>
          <p className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200">🔒 {t('keysReady')}</p>
        </Card>
        <Card>
          {counts && (
            <div className="space-y-3 text-sm">
              {isAdmin && (
                <>
                  <p>
                    <Link href="/app/stammdaten/geraete" className="font-medium text-brand-700 underline">
                      {tn('devices')}
                    </Link>
                    : {t('pendingDevices', { count: counts.devices })}
                  </p>
                  <p>
                    <Link href="/app/stammdaten/benutzer" className="font-medium text-brand-700 underline">
                      {tn('users')}
                    </Link>
                    : {t('pendingMembers', { count: counts.members })}
                  </p>
                </>
              )}
            </div>
          )}
          {orgFingerprint && (
            <div className="mt-3 text-sm">
              <p className="text-slate-600">{t('orgFingerprint')}</p>
              <p className="mt-1 font-mono text-xs" data-testid="org-fingerprint">
                {orgFingerprint}
              </p>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
