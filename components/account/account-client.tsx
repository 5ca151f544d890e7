'use client';
import { useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { PasswordStrength, usePasswordVerdict, weakPasswordErrors } from '@/components/ui/password-strength';
import { useSession } from '@/components/app/session-context';
import { clearWeakPasswordNotice } from './weak-password-notice';
import { Card, PageTitle } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { CryptoError } from '@/lib/crypto/types';
import { changeMasterPasswordFlow, changePasswordFlow } from '@/lib/client/flows';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/validation/rules';
import { errorText, useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';

type Kind = 'password' | 'master';

export function AccountClient() {
  const t = useTranslations('account');
  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      <div className="grid gap-6 md:grid-cols-2">
        <CredentialForm kind="password" />
        <CredentialForm kind="master" />
      </div>
    </div>
  );
}

function CredentialForm({ kind }: { kind: Kind }) {
  const t = useTranslations('account');
  const tc = useTranslations('common');
  const vMsg = useValidationMessage();
  const eMsg = useErrorMessage();
  const [v, setV] = useState({ current: '', next: '', repeat: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const locale = useLocale();
  const s = useSession();
  const known = [s.orgShortName, s.userShortName, s.orgName];
  const verdict = usePasswordVerdict(v.next, known);

  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setV((o) => ({ ...o, [k]: e.target.value }));
    setErrors((o) => ({ ...o, [k]: '' }));
    setDone(false);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const errs: Record<string, string> = {};
    if (!v.current) errs.current = 'required';
    if (v.next.length < PASSWORD_MIN) errs.next = v.next ? 'passwordTooShort' : 'required';
    else if (v.next.length > PASSWORD_MAX) errs.next = 'passwordTooLong';
    else if (kind === 'master' && v.next === v.current) errs.next = 'masterEqualsPassword';
    if (v.repeat !== v.next) errs.repeat = kind === 'master' ? 'masterMismatch' : 'passwordMismatch';
    if (!errs.next) Object.assign(errs, await weakPasswordErrors({ next: v.next }, known, locale));
    setErrors(errs);
    if (Object.values(errs).some(Boolean)) return;
    setProgress(0);
    try {
      if (kind === 'password') await changePasswordFlow({ currentPassword: v.current, newPassword: v.next, onProgress: setProgress });
      else await changeMasterPasswordFlow({ currentPassword: v.current, newMasterPassword: v.next, onProgress: setProgress });
      setV({ current: '', next: '', repeat: '' });
      if (kind === 'password') clearWeakPasswordNotice();
      setDone(true);
    } catch (err) {
      // A current password that does not open userKey is caught here before the server is asked.
      if (err instanceof CryptoError) setErrors({ current: 'currentPasswordWrong' });
      else setError(errorText(eMsg, err));
    } finally {
      setProgress(null);
    }
  };

  const p = kind === 'password' ? 'pw' : 'master';
  return (
    <Card>
      <h2 id={`${p}-title`} className="font-semibold">
        {t(`${p}Title`)}
      </h2>
      <p className="mt-1 text-sm text-slate-600">{t(`${p}Intro`)}</p>
      <form onSubmit={submit} className="mt-4 space-y-4" noValidate aria-labelledby={`${p}-title`}>
        <TextField name={`${p}-current`} type="password" autoComplete="current-password" required label={t('current')} value={v.current} onChange={set('current')} error={vMsg(errors.current)} />
        <div>
          <TextField name={`${p}-next`} type="password" autoComplete="new-password" required label={t(`${p}New`)} value={v.next} onChange={set('next')} error={vMsg(errors.next)} />
          <PasswordStrength verdict={verdict} />
        </div>
        <TextField name={`${p}-repeat`} type="password" autoComplete="new-password" required label={t(`${p}Repeat`)} value={v.repeat} onChange={set('repeat')} error={vMsg(errors.repeat)} />
        {error && <Alert tone="error">{error}</Alert>}
        {done && <Alert tone="success">{t(`${p}Done`)}</Alert>}
        {progress !== null && <ProgressBar value={progress} label={tc('deriving', { percent: Math.round(progress * 100) })} />}
        <Button type="submit" pending={progress !== null}>
          {t(`${p}Submit`)}
        </Button>
      </form>
    </Card>
  );
}
