'use client';
import { useTranslations } from 'next-intl';
import { useController } from 'react-hook-form';
import { PLANS } from '@/lib/validation/registration';
import type { TWizardValues } from './wizard-form';

/** Basis or plus, chosen above the steps; it decides whether there is a billing step. */
export function PlanChoice({ disabled }: { disabled: boolean }) {
  const t = useTranslations('register');
  const { field } = useController<TWizardValues, 'plan'>({ name: 'plan' });
  return (
    <fieldset className="mt-6" disabled={disabled}>
      <legend className="text-sm font-semibold text-slate-800">{t('planTitle')}</legend>
      <div className="mt-2 grid gap-3 sm:grid-cols-2">
        {PLANS.map((p) => (
          <label
            key={p}
            className={`flex cursor-pointer gap-3 rounded-lg border bg-white p-4 shadow-sm ${field.value === p ? 'border-brand-600 ring-2 ring-brand-600' : 'border-slate-200'}`}
          >
            <input type="radio" name="plan" value={p} checked={field.value === p} onChange={() => field.onChange(p)} className="mt-1 accent-brand-600" />
            <span>
              <span className="block font-semibold">{t(p === 'basis' ? 'planBasis' : 'planPlus')}</span>
              <span className="block text-sm font-medium text-brand-700">{t(p === 'basis' ? 'planBasisPrice' : 'planPlusPrice')}</span>
              <span className="mt-1 block text-xs text-slate-600">{t(p === 'basis' ? 'planBasisText' : 'planPlusText')}</span>
            </span>
          </label>
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-500">{t('priceNote')}</p>
    </fieldset>
  );
}
