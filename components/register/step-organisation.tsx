'use client';
import { useTranslations } from 'next-intl';
import { ORG_SIZES, ORG_TYPES, SALUTATIONS } from '@/lib/validation/registration';
import { WizardCheckbox, WizardSelect, WizardText } from './wizard-fields';

const legendClass = 'mb-2 text-sm font-semibold text-brand-900';

/** Step 1: the organisation, its address and the person to contact. */
export function StepOrganisation() {
  const t = useTranslations('register');
  return (
    <div className="space-y-8">
      <fieldset className="grid gap-4 sm:grid-cols-6">
        <legend className={legendClass}>{t('sections.organisation')}</legend>
        <WizardText name="orgName" required className="sm:col-span-6" autoComplete="organization" />
        <WizardSelect name="orgType" options={ORG_TYPES} labelNs="orgTypes" className="sm:col-span-3" />
        <WizardSelect name="orgSize" options={ORG_SIZES} labelNs="orgSizes" className="sm:col-span-3" />
        <WizardText name="specialty" className="sm:col-span-2" />
        <WizardText name="bsnr" className="sm:col-span-2" inputMode="numeric" />
        <WizardText name="lanr" className="sm:col-span-2" inputMode="numeric" hint={t('hints.lanr')} />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-6">
        <legend className={legendClass}>{t('sections.address')}</legend>
        <WizardText name="street" required className="sm:col-span-4" autoComplete="address-line1" />
        <WizardText name="houseNumber" required className="sm:col-span-2" />
        <WizardText name="addressExtra" className="sm:col-span-6" autoComplete="address-line2" />
        <WizardText name="plz" required className="sm:col-span-2" inputMode="numeric" hint={t('hints.plz')} autoComplete="postal-code" />
        <WizardText name="city" required className="sm:col-span-4" autoComplete="address-level2" />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-6">
        <legend className={legendClass}>{t('sections.contact')}</legend>
        <WizardSelect name="salutation" options={SALUTATIONS} labelNs="salutations" className="sm:col-span-2" />
        <WizardText name="title" className="sm:col-span-4" autoComplete="honorific-prefix" />
        <WizardText name="firstName" required className="sm:col-span-3" autoComplete="given-name" />
        <WizardText name="lastName" required className="sm:col-span-3" autoComplete="family-name" />
        <WizardText name="email" required type="email" className="sm:col-span-3" autoComplete="email" inputMode="email" />
        <WizardText name="phone" required type="tel" className="sm:col-span-3" autoComplete="tel" inputMode="tel" />
      </fieldset>
      <fieldset>
        <legend className={legendClass}>{t('sections.directory')}</legend>
        <WizardCheckbox name="directoryVisible" hint={t('hints.directoryVisible')} />
      </fieldset>
    </div>
  );
}
