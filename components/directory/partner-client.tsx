'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { errorCode } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { loadPartner, pinPartner, type Partner } from '@/lib/client/partners';
import { Fingerprint } from './fingerprint';
import { verifyMailboxCert } from '@/lib/protocol/mailboxes';

function TrustPanel({ partner, onPin, busy }: { partner: Partner; onPin: () => void; busy: boolean }) {
  const t = useTranslations('directory.trust');
  const format = useFormatter();
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const { trust } = partner;
  switch (trust.state) {
    case 'new':
      return (
        <div className="space-y-3">
          <Alert tone="info">{t('new')}</Alert>
          <Button onClick={onPin} pending={busy}>
            {t('markCompared')}
          </Button>
        </div>
      );
    case 'pinned':
      return (
        <div className="space-y-3">
          <Alert tone="info">{t('pinned', { date: date(trust.pin.pinnedAt) })}</Alert>
          <Button onClick={onPin} pending={busy}>
            {t('markCompared')}
          </Button>
        </div>
      );
    case 'compared':
      return <Alert tone="success">{t('compared', { date: date(trust.pin.comparedAt!) })}</Alert>;
    case 'changed':
      return (
        <div className="space-y-4">
          <Alert tone="error">{t('changed')}</Alert>
          <Fingerprint keys={trust.pin} name={partner.entry.name} label={t('previous')} />
          <Fingerprint keys={partner.keys} name={partner.entry.name} label={t('current')} />
          <Button onClick={onPin} pending={busy} variant="secondary">
            {t('acceptChange')}
          </Button>
        </div>
      );
  }
}

export function PartnerClient({ id, query }: { id: string; query: string }) {
  const t = useTranslations('directory');
  const tr = useTranslations('register');
  const eMsg = useErrorMessage();
  const keys = useKeys();
  const s = useSession();
  const [partner, setPartner] = useState<Partner | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    if (!keys) return;
    loadPartner(keys, id).then(setPartner, (e: unknown) => setError(errorCode(e)));
  }, [keys, id]);
  useEffect(load, [load]);

  const pin = async () => {
    if (!keys || !partner) return;
    setBusy(true);
    setError(null);
    try {
      await pinPartner(keys, partner.keys, true);
      setPartner(await loadPartner(keys, id));
    } catch (e) {
      setError(errorCode(e));
    } finally {
      setBusy(false);
    }
  };

  const back = (
    <Link href={query ? `/app/verzeichnis?q=${encodeURIComponent(query)}` : '/app/verzeichnis'} className="text-sm font-medium text-brand-700 hover:underline">
      ← {t('back')}
    </Link>
  );
  if (!partner)
    return (
      <div className="space-y-4">
        {back}
        {error && <Alert tone="error">{eMsg(error)}</Alert>}
      </div>
    );
  const e = partner.entry;
  return (
    <div className="space-y-6">
      {back}
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{e.name}</h1>
        <p className="mt-1 text-sm text-slate-600">{[tr(`orgTypes.${e.orgType}`), e.specialty].filter(Boolean).join(' · ')}</p>
      </div>
      {error && <Alert tone="error">{eMsg(error)}</Alert>}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-base font-semibold text-slate-900">{t('contact')}</h2>
          <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">{t('address')}</dt>
            <dd>
              {e.street} {e.houseNumber}, {e.plz} {e.city}
            </dd>
            <dt className="text-slate-500">{t('phone')}</dt>
            <dd>
              <a href={`tel:${e.phone}`} className="text-brand-700 hover:underline">
                {e.phone}
              </a>
            </dd>
            <dt className="text-slate-500">{t('email')}</dt>
            <dd className="break-all">
              <a href={`mailto:${e.email}`} className="text-brand-700 hover:underline">
                {e.email}
              </a>
            </dd>
            <dt className="text-slate-500">{t('mailboxes')}</dt>
            <dd>
              {e.mailboxes.length ? (
                <ul data-testid="partner-mailboxes">
                  {e.mailboxes.map((m) => (
                    <li key={m.id}>
                      {m.name}
                      {!verifyMailboxCert(e.signPublic, { orgId: e.id, mailboxId: m.id, name: m.name, version: m.version, publicKey: m.publicKey }, m.cert) && (
                        <span className="ml-2 text-red-700">{t('mailboxUnverified')}</span>
                      )}
                    </li>
                  ))}
                </ul>
              ) : (
                t('noMailbox')
              )}
            </dd>
          </dl>
        </Card>
        <Card>
          <h2 className="text-base font-semibold text-slate-900">{t('fingerprint')}</h2>
          <p className="mt-1 text-sm text-slate-600">{t('fingerprintHint')}</p>
          {/* A changed key shows old and new side by side below instead. */}
          {partner.trust.state !== 'changed' && (
            <div className="mt-4">
              <Fingerprint keys={partner.keys} name={e.name} />
            </div>
          )}
          <div className="mt-4">{e.id === s.orgId ? <Alert tone="info">{t('self')}</Alert> : <TrustPanel partner={partner} onPin={pin} busy={busy} />}</div>
        </Card>
      </div>
    </div>
  );
}
