'use client';
import { useTranslations } from 'next-intl';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/field';
import { Dialog } from '@/components/ui/dialog';
import { CHECK_ON_SUBMIT, registerClearing } from '@/components/ui/form-errors';
import { formatGermanDate } from '@/lib/contracts/notice';
import { ZContractCancel, type TContractCancel } from '@/lib/contracts/schemas';
import { DialogFooter, type DialogAction } from './dialog-action';

const resolver = zodResolver(ZContractCancel);

/** "Vertrag kündigen und Daten löschen": only with the confirmation ticked, which closing the dialog forgets. */
export function CancelDialog({ open, endsOn, action, onClose }: { open: boolean; endsOn: string; action: DialogAction; onClose: () => void }) {
  const t = useTranslations('contract');
  const form = useForm({ resolver, ...CHECK_ON_SUBMIT });
  const { handleSubmit, reset } = form;
  const field = registerClearing(form);
  // The box has one rule, said in this dialog's own words.
  const confirmError = form.formState.errors.confirmDeletion ? t('cancelConfirmRequired') : undefined;
  const close = () => {
    reset();
    onClose();
  };
  const cancel = async (body: TContractCancel) => {
    if (await action.post('/api/contract/cancel', body, t('cancelled'))) reset();
  };

  return (
    <Dialog open={open} onClose={close} title={t('cancelTitle')} testId="cancel-dialog">
      <p>{t('cancelBody', { date: formatGermanDate(endsOn) })}</p>
      <p className="mt-3 rounded-md bg-red-50 p-3 font-semibold text-red-900 ring-2 ring-red-300" role="alert">
        {t('cancelWarning', { date: formatGermanDate(endsOn) })}
      </p>
      <CheckboxField
        className="mt-4"
        required
        label={t('cancelConfirmLabel')}
        {...field('confirmDeletion')}
        error={confirmError}
      />
      <DialogFooter error={action.error} abortLabel={t('abort')} onAbort={close}>
        <Button type="button" variant="danger" pending={action.busy} disabled={action.busy} onClick={() => void handleSubmit(cancel)()}>
          {t('confirmCancel')}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
