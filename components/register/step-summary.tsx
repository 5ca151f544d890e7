'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { formatIban } from '@/lib/validation/rules';
import type { StepKey } from './step-indicator';
import { WizardCheckbox } from './wizard-fields';
import { STEP_FIELDS, useWizardValues } from './wizard-form';

/** The last step: everything entered (passwords masked), each step to edit, and the two confirmations. */
export function StepSummary({ onEdit }: { onEdit: (step: StepKey) => void }) {
  const t = useTranslations('register');
  const tc = useTranslations('common');
  const values = useWizardValues();
  const organisationRows = STEP_FIELDS.organisation.map((k) => [
    t(`fields.${k}`),
    k === 'orgType' && values.orgType
      ? t(`orgTypes.${values.orgType}`)
      : k === 'orgSize' && values.orgSize
        ? t(`orgSizes.${values.orgSize}`)
        : k === 'salutation' && values.salutation
          ? t(`salutations.${values.salutation}`)
          : k === 'directoryVisible'
            ? tc(values.directoryVisible ? 'yes' : 'no')
            : String(values[k] || '–'),
  ]);

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700">{t('summaryIntro')}</p>
      <SummaryBlock title={t('summaryPlan')} rows={[[t('summaryPlan'), t(values.plan === 'basis' ? 'planBasis' : 'planPlus')]]} onEdit={null} editLabel="" />
      <SummaryBlock title={t('steps.organisation')} rows={organisationRows} onEdit={() => onEdit('organisation')} editLabel={t('edit')} />
      <SummaryBlock
        title={t('steps.credentials')}
        rows={[
          [t('fields.orgShortName'), values.orgShortName],
          [t('fields.userShortName'), values.userShortName],
          [t('fields.password'), t('masked')],
          [t('fields.masterPassword'), t('masked')],
          [t('fields.deviceName'), values.deviceName],
        ]}
        onEdit={() => onEdit('credentials')}
        editLabel={t('edit')}
      />
      {values.plan === 'plus' && (
        <SummaryBlock
          title={t('steps.billing')}
          rows={[
            [t('fields.accountHolder'), values.accountHolder],
            [t('fields.iban'), formatIban(values.iban)],
            [t('fields.bic'), values.bic.toUpperCase()],
            [t('fields.sepaMandate'), tc('yes')],
          ]}
          onEdit={() => onEdit('billing')}
          editLabel={t('edit')}
        />
      )}
      <div className="space-y-3">
        <WizardCheckbox
          name="avvAccepted"
          required
          label={
            <>
              {t('fields.avvAccepted')} (
              <Link href="/avv" target="_blank" className="text-brand-700 underline">
                {t('avvLink')}
              </Link>
              )
            </>
          }
        />
        <WizardCheckbox name="credentialsNoted" required />
      </div>
      <Alert tone="warning">{t('warning')}</Alert>
    </div>
  );
}

function SummaryBlock({ title, rows, onEdit, editLabel }: { title: string; rows: string[][]; onEdit: (() => void) | null; editLabel: string }) {
  return (
    <div className="rounded-md ring-1 ring-slate-200">
      <div className="flex items-center justify-between border-b border-slate-200 bg-slate-50 px-4 py-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        {onEdit && (
          <button type="button" onClick={onEdit} className="text-sm font-medium text-brand-700 underline">
            {editLabel}
          </button>
        )}
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 px-4 py-3 text-sm sm:grid-cols-2">
        {rows.map(([k, v]) => (
          <div key={k} className="flex gap-2">
            <dt className="min-w-40 text-slate-600">{k}</dt>
            <dd className="font-medium break-all">{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
