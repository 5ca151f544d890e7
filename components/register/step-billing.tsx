'use client';
import { useTranslations } from 'next-intl';
import { formatIban } from '@/lib/validation/rules';
import { WizardCheckbox, WizardText } from './wizard-fields';

const upperCase = (text: string) => text.toUpperCase();

/** Step 3 (plan "plus" only): the account to debit and the SEPA mandate. */
export function StepBilling() {
  const t = useTranslations('register');
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <WizardText name="accountHolder" required className="sm:col-span-2" autoComplete="name" />
      <WizardText name="iban" required typed={upperCase} tidy={formatIban} />
      <WizardText name="bic" required />
      <div className="rounded-md bg-slate-50 p-4 text-xs text-slate-700 ring-1 ring-slate-200 sm:col-span-2">
        <p className="font-semibold">{t('fields.sepaMandate')}</p>
        <p className="mt-1">{t('sepaCreditor')}</p>
        <p className="mt-2">{t('sepaText')}</p>
      </div>
      <WizardCheckbox className="sm:col-span-2" name="sepaMandate" required />
    </div>
  );
}
