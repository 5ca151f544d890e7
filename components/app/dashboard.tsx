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
import { ownPartnerKeys } from '@/lib/client/partners';
import { partnerFingerprint } from '@/lib/protocol/directory';
import { WaitingRoomsCard } from '@/components/appointments/waiting-rooms';
import { StaleCodesPanel } from '@/components/appointments/stale-codes';
import { MailboxUpkeep } from '@/components/mailboxes/mailbox-upkeep';
import { MissedCallsNotice } from '@/components/colleague-calls/missed-calls-notice';

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
  // Computed from the private keys this browser unlocked, not taken from the
  // server: the fingerprint partners must see in the directory.
  const own = ownPartnerKeys(keys);
  const orgFingerprint = own ? partnerFingerprint(own) : null;
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
      <MissedCallsNotice />
      {isAdmin && keys?.orgKey && <StaleCodesPanel />}
      {isAdmin && keys?.orgKey && <MailboxUpkeep />}
      <div className="grid gap-6 md:grid-cols-2">
        {keys?.orgKey && (
          <div className="md:col-span-2">
            <WaitingRoomsCard />
          </div>
        )}
        <Card>
          <ul className="space-y-2 text-sm">
            <li>{t('plan', { plan: s.plan })}</li>
            <li>{t('device', { device: s.deviceName })}</li>
            <li>{t(`role.${s.role}`)}</li>
          </ul>
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
