'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { useController, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button } from '@/components/ui/button';
import { CheckboxField, TextField } from '@/components/ui/field';
import { Dialog } from '@/components/ui/dialog';
import { CHECK_ON_SUBMIT, setServerFieldErrors } from '@/components/ui/form-errors';
import { useValidationMessage } from '@/components/ui/use-field-errors';
import { PLANS } from '@/lib/plans/plans';
import { formatEuro } from '@/lib/contracts/invoice';
import { formatIban } from '@/lib/validation/rules';
import { ZBillingStep } from '@/lib/validation/registration';
import { DialogFooter, type DialogAction } from './dialog-action';

// The bank details are sent as typed; the server normalises them with the same schema.
const resolver = zodResolver(ZBillingStep, undefined, { raw: true });

/**
 * Basis → plus at once: with the SEPA mandate on file, or a new one. What was
 * typed stays when the dialog is closed and opened again; its errors do not.
 */
export function UpgradeDialog({
  open,
  bank,
  action,
  onClose,
}: {
  open: boolean;
  bank: { iban: string; mandateReference: string } | null;
  action: DialogAction;
  onClose: () => void;
}) {
  const t = useTranslations('contract');
  const vMsg = useValidationMessage();
  const [newMandate, setNewMandate] = useState(false);
  const { control, register, handleSubmit, setError, clearErrors, formState } = useForm({
    resolver,
    defaultValues: { accountHolder: '', iban: '', bic: '', sepaMandate: false },
    ...CHECK_ON_SUBMIT,
  });
  const errors = formState.errors;
  // IBAN and BIC appear in capitals as they are typed; the IBAN is grouped when it is left.
  const iban = useController({ control, name: 'iban' }).field;
  const bic = useController({ control, name: 'bic' }).field;
  const close = () => {
    clearErrors();
    onClose();
  };
  const upgrade = (body: unknown) => {
    clearErrors();
    return action.post('/api/contract/upgrade', body, t('upgraded'), (e) => setServerFieldErrors(setError, e));
  };
  const mandateOnFile = bank && !newMandate;

  return (
    <Dialog open={open} onClose={close} title={t('upgradeTitle')} testId="upgrade-dialog">
      <p>{t('upgradeBody', { price: formatEuro(PLANS.plus.monthlyPerUserCents) })}</p>
      {mandateOnFile ? (
        <div className="mt-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <p>{t('useMandate', { iban: bank.iban, reference: bank.mandateReference })}</p>
          <button type="button" className="mt-2 text-sm font-medium text-brand-700 underline" onClick={() => setNewMandate(true)}>
            {t('newMandate')}
          </button>
        </div>
      ) : (
        <div className="mt-3 grid gap-3">
          <TextField label={t('accountHolder')} required {...register('accountHolder')} error={vMsg(errors.accountHolder?.message)} />
          <TextField
            label="IBAN"
            name="iban"
            required
            autoComplete="off"
            value={iban.value}
            onChange={(e) => iban.onChange(e.target.value.toUpperCase())}
            onBlur={() => iban.value && iban.onChange(formatIban(iban.value))}
            error={vMsg(errors.iban?.message)}
          />
          <TextField label="BIC" name="bic" required value={bic.value} onChange={(e) => bic.onChange(e.target.value.toUpperCase())} error={vMsg(errors.bic?.message)} />
          <p className="rounded-md bg-slate-50 p-3 text-xs text-slate-700 ring-1 ring-slate-200">{t('sepaText')}</p>
          <CheckboxField required label={t('sepaMandate')} {...register('sepaMandate')} error={vMsg(errors.sepaMandate?.message)} />
        </div>
      )}
      <DialogFooter error={action.error} abortLabel={t('abort')} onAbort={close}>
        <Button
          type="button"
          pending={action.busy}
          disabled={action.busy}
          onClick={() => void (mandateOnFile ? upgrade({ useExistingMandate: true }) : handleSubmit(upgrade, action.refuse)())}
        >
          {t('confirmUpgrade')}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
