'use client';
import { useState } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, PageTitle } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { DataTable } from '@/components/ui/table';
import { FEATURES, PLANS, type PlanId } from '@/lib/plans/plans';
import { formatEuro } from '@/lib/contracts/invoice';
import { formatGermanDate } from '@/lib/contracts/notice';
import { useApiResource } from '@/components/app/use-api-resource';
import { CancelDialog } from './cancel-dialog';
import { DialogFooter, useDialogAction } from './dialog-action';
import { UpgradeDialog } from './upgrade-dialog';

type Contract = {
  canManage: boolean;
  mainUser: { salutation: string; title: string | null; firstName: string; lastName: string; email: string; phone: string };
  organisation: { name: string; shortName: string; street: string; houseNumber: string; addressExtra: string | null; plz: string; city: string; bsnr: string | null; lanr: string | null };
  bank: { accountHolder: string; iban: string; bic: string; mandateReference: string; signedAt: string } | null;
  plan: PlanId;
  startedOn: string;
  pendingPlan: { plan: PlanId; at: string; lastDay: string } | null;
  cancellation: { cancelledAt: string; endsOn: string; revocable: boolean } | null;
  nextEndIfCancelledToday: string;
  invoices: { id: string; number: string; month: string; issuedOn: string; grossCents: number; netCents: number }[];
};

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-2 py-1 text-sm">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  );
}

export function ContractClient() {
  const t = useTranslations('contract');
  const format = useFormatter();
  const { data: c, error, reload } = useApiResource<Contract>('/api/contract');
  const [dialog, setDialog] = useState<null | 'upgrade' | 'downgrade' | 'cancel' | 'revoke'>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useDialogAction((done) => {
    setDialog(null);
    setNotice(done);
    reload();
  });

  if (!c) return error ? <Alert tone="error">{error}</Alert> : <p className="text-slate-600">{t('loading')}</p>;

  const other: PlanId = c.plan === 'plus' && !c.pendingPlan ? 'basis' : 'plus';
  const price = (p: PlanId) => (PLANS[p].monthlyPerUserCents === 0 ? t('free') : t('pricePlus', { price: formatEuro(PLANS[p].monthlyPerUserCents), sms: formatEuro(PLANS[p].smsCents) }));
  const close = () => {
    setDialog(null);
    action.clear();
  };

  return (
    <div className="space-y-6">
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      {!c.canManage && <Alert tone="info">{t('readOnly')}</Alert>}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t('mainUser')}</h2>
          <dl className="mt-2">
            <Row label={t('name')}>{[c.mainUser.title, c.mainUser.firstName, c.mainUser.lastName].filter(Boolean).join(' ')}</Row>
            <Row label={t('email')}>{c.mainUser.email}</Row>
            <Row label={t('phone')}>{c.mainUser.phone}</Row>
          </dl>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t('organisation')}</h2>
          <dl className="mt-2">
            <Row label={t('orgName')}>{c.organisation.name}</Row>
            <Row label={t('shortName')}>{c.organisation.shortName}</Row>
            <Row label={t('address')}>
              {c.organisation.street} {c.organisation.houseNumber}
              {c.organisation.addressExtra ? `, ${c.organisation.addressExtra}` : ''}, {c.organisation.plz} {c.organisation.city}
            </Row>
            {c.organisation.bsnr && <Row label="BSNR">{c.organisation.bsnr}</Row>}
            {c.organisation.lanr && <Row label="LANR">{c.organisation.lanr}</Row>}
          </dl>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t('bank')}</h2>
          {c.bank ? (
            <dl className="mt-2">
              <Row label={t('accountHolder')}>{c.bank.accountHolder}</Row>
              <Row label="IBAN">{c.bank.iban}</Row>
              <Row label="BIC">{c.bank.bic}</Row>
              <Row label={t('mandateReference')}>{c.bank.mandateReference}</Row>
              <Row label={t('mandateSigned')}>{format.dateTime(new Date(c.bank.signedAt), { dateStyle: 'medium' })}</Row>
            </dl>
          ) : (
            <p className="mt-2 text-sm text-slate-600">{t('noMandate')}</p>
          )}
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="text-lg font-semibold">{t('billing')}</h2>
          <p className="mt-1 text-xs text-slate-600">{t('proRataRule')}</p>
          {c.invoices.length ? (
            <div className="mt-3">
              <DataTable headers={[t('invoiceNumber'), t('period'), t('invoiceDate'), t('gross'), '']} testId="invoices">
                {c.invoices.map((i) => (
                  <tr key={i.id}>
                    <td className="px-3 py-2 font-mono text-xs">{i.number}</td>
                    <td className="px-3 py-2">{format.dateTime(new Date(`${i.month}-15T12:00:00Z`), { month: 'long', year: 'numeric' })}</td>
                    <td className="px-3 py-2">{formatGermanDate(i.issuedOn)}</td>
                    <td className="px-3 py-2 text-right">{formatEuro(i.grossCents)}</td>
                    <td className="px-3 py-2">
                      <a href={`/api/contract/invoices/${i.id}/pdf`} className="font-medium text-brand-700 underline" download>
                        {t('pdf')}
                      </a>
                    </td>
                  </tr>
                ))}
              </DataTable>
            </div>
          ) : (
            <p className="mt-2 text-sm text-slate-600">{t('noInvoices')}</p>
          )}
        </Card>
      </div>

      <Card>
        <h2 className="text-lg font-semibold">{t('contract')}</h2>
        {c.cancellation && (
          <div className="mt-3 rounded-lg bg-red-50 p-4 ring-2 ring-red-300" role="status" data-testid="cancellation-notice">
            <p className="font-semibold text-red-900">{t('endsNotice', { date: formatGermanDate(c.cancellation.endsOn) })}</p>
            <p className="mt-1 text-sm text-red-900">{t('endsNoticeDetail', { date: formatGermanDate(c.cancellation.endsOn) })}</p>
            {c.canManage && c.cancellation.revocable && (
              <Button type="button" variant="secondary" className="mt-3" onClick={() => setDialog('revoke')}>
                {t('revoke')}
              </Button>
            )}
          </div>
        )}
        {c.pendingPlan && (
          <Alert tone="info" className="mt-3">
            {t('pendingDowngrade', { date: formatGermanDate(c.pendingPlan.lastDay) })}
          </Alert>
        )}
        <h3 className="mt-4 text-base font-semibold">{t('current')}</h3>
        <p className="mt-1 text-sm" data-testid="current-plan">
          <span className="text-lg font-semibold">Konsil {c.plan}</span> · {price(c.plan)} · {t('since', { date: formatGermanDate(c.startedOn) })}
        </p>
        <div className="mt-4 overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="feature-table">
            <caption className="sr-only">{t('featureCaption')}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left">
                <th scope="col" className="py-2 pr-4 font-medium text-slate-600">
                  {t('feature')}
                </th>
                {(['basis', 'plus'] as const).map((p) => (
                  <th key={p} scope="col" className={`px-4 py-2 text-center font-semibold ${p === c.plan ? 'bg-brand-50 text-brand-800' : ''}`}>
                    Konsil {p}
                    <span className="block text-xs font-normal text-slate-600">{price(p)}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {FEATURES.map((f) => (
                <tr key={f} className="border-b border-slate-100">
                  <th scope="row" className="py-1.5 pr-4 text-left font-normal">
                    {t(`features.${f}`)}
                  </th>
                  {(['basis', 'plus'] as const).map((p) => (
                    <td key={p} className={`px-4 py-1.5 text-center ${p === c.plan ? 'bg-brand-50' : ''}`}>
                      {PLANS[p].features.has(f) ? (
                        <span className="text-emerald-700" aria-label={t('included')}>
                          ✓
                        </span>
                      ) : (
                        <span className="text-slate-400" aria-label={t('notIncluded')}>
                          ✗
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {c.canManage && !c.cancellation && (
          <>
            <h3 className="mt-6 text-base font-semibold">{t('possibleChange')}</h3>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-3 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
              <p className="text-sm">
                <span className="font-semibold">Konsil {other}</span> · {price(other)}
                <span className="block text-xs text-slate-600">{other === 'plus' ? t('upgradeHint') : t('downgradeHint')}</span>
              </p>
              <Button type="button" onClick={() => setDialog(other === 'plus' ? 'upgrade' : 'downgrade')} data-testid="switch-plan">
                {t('switch')}
              </Button>
            </div>
            <div className="mt-6 border-t border-slate-200 pt-4">
              <Button type="button" variant="danger" onClick={() => setDialog('cancel')}>
                {t('cancel')}
              </Button>
            </div>
          </>
        )}
      </Card>

      <UpgradeDialog open={dialog === 'upgrade'} bank={c.bank} action={action} onClose={close} />

      <Dialog open={dialog === 'downgrade'} onClose={close} title={t('downgradeTitle')} testId="downgrade-dialog">
        <p>{t('downgradeBody')}</p>
        <DialogFooter error={action.error} abortLabel={t('abort')} onAbort={close}>
          <Button type="button" pending={action.busy} disabled={action.busy} onClick={() => void action.post('/api/contract/downgrade', {}, t('downgraded'))}>
            {t('confirmDowngrade')}
          </Button>
        </DialogFooter>
      </Dialog>

      <CancelDialog open={dialog === 'cancel'} endsOn={c.nextEndIfCancelledToday} action={action} onClose={close} />

      <Dialog open={dialog === 'revoke'} onClose={close} title={t('revokeTitle')} testId="revoke-dialog">
        <p>{t('revokeBody')}</p>
        <DialogFooter error={action.error} abortLabel={t('abort')} onAbort={close}>
          <Button type="button" pending={action.busy} disabled={action.busy} onClick={() => void action.post('/api/contract/revoke', {}, t('revoked'))}>
            {t('confirmRevoke')}
          </Button>
        </DialogFooter>
      </Dialog>
    </div>
  );
}
