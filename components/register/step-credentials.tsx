'use client';
import { useTranslations } from 'next-intl';
import { useFormState } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import { PasswordStrength } from '@/components/ui/password-strength';
import { useValidationMessage } from '@/components/ui/use-field-errors';
import type { PasswordVerdict } from '@/lib/validation/password-check';
import type { ShortNameState } from './use-short-name-check';
import { WizardText } from './wizard-fields';
import type { TWizardValues } from './wizard-form';

/** Step 2: the names to log in with, both passwords and this device. */
export function StepCredentials({
  shortName,
  strength,
  masterStrength,
}: {
  shortName: ShortNameState;
  strength: PasswordVerdict | null;
  masterStrength: PasswordVerdict | null;
}) {
  const t = useTranslations('register');
  const vMsg = useValidationMessage();
  const { errors } = useFormState<TWizardValues>({ name: 'orgShortName' });
  const shortNameFaulted = Boolean(errors.orgShortName);
  return (
    <div className="space-y-6">
      <Alert tone="warning" title={t('warningTitle')}>
        {t('warning')}
      </Alert>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <WizardText name="orgShortName" required hint={t('hints.orgShortName')} />
          <p className="mt-1 text-xs" aria-live="polite">
            {shortName.state === 'checking' && <span className="text-slate-500">{t('shortNameChecking')}</span>}
            {shortName.state === 'available' && !shortNameFaulted && <span className="text-emerald-700">✓ {t('shortNameAvailable')}</span>}
            {shortName.state === 'taken' && !shortNameFaulted && <span className="text-red-700">{vMsg('shortNameTaken')}</span>}
          </p>
        </div>
        <WizardText name="userShortName" required hint={t('hints.userShortName')} autoComplete="username" />
        <div>
          <WizardText name="password" required type="password" autoComplete="new-password" hint={t('hints.password')} />
          <PasswordStrength verdict={strength} />
        </div>
        <WizardText name="passwordRepeat" required type="password" autoComplete="new-password" />
        <div>
          <WizardText name="masterPassword" required type="password" autoComplete="new-password" hint={t('hints.masterPassword')} />
          <PasswordStrength verdict={masterStrength} />
        </div>
        <WizardText name="masterPasswordRepeat" required type="password" autoComplete="new-password" />
        <WizardText name="deviceName" required hint={t('hints.deviceName')} />
      </div>
    </div>
  );
}
