'use client';
import { useState } from 'react';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { PasswordStrength, usePasswordVerdict, weakPasswordErrors } from '@/components/ui/password-strength';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { recoverFlow } from '@/lib/client/flows';
import { ApiError } from '@/lib/client/api';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/validation/rules';
import { CryptoError } from '@/lib/crypto/types';

export function RecoverForm() {
  const t = useTranslations('recover');
  const tl = useTranslations('login');
  const tc = useTranslations('common');
  const eMsg = useErrorMessage();
  const vMsg = useValidationMessage();
  const [v, setV] = useState({ org: '', user: '', master: '', pw: '', pw2: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ code: string; retry?: number } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const locale = useLocale();
  const pwVerdict = usePasswordVerdict(v.pw, [v.org, v.user]);
  const [done, setDone] = useState(false);

  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setV((o) => ({ ...o, [k]: e.target.value }));
    setErrors((o) => ({ ...o, [k]: '' }));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const errs: Record<string, string> = {};
    if (!v.org.trim()) errs.org = 'required';
    if (!v.user.trim()) errs.user = 'required';
    if (!v.master) errs.master = 'required';
    if (v.pw.length < PASSWORD_MIN) errs.pw = v.pw ? 'passwordTooShort' : 'required';
    else if (v.pw.length > PASSWORD_MAX) errs.pw = 'passwordTooLong';
    else if (v.pw === v.master) errs.pw = 'masterEqualsPassword';
    if (v.pw2 !== v.pw) errs.pw2 = 'passwordMismatch';
    if (!errs.pw) Object.assign(errs, await weakPasswordErrors({ pw: v.pw }, [v.org, v.user], locale));
    setErrors(errs);
    if (Object.values(errs).some(Boolean)) return;
    setProgress(0);
    try {
      await recoverFlow({ orgShortName: v.org.trim(), userShortName: v.user.trim(), masterPassword: v.master, newPassword: v.pw, onProgress: setProgress });
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError) setError({ code: err.code === 'validation' ? 'recover_failed' : err.code, retry: err.retryAfterSeconds });
      else if (err instanceof CryptoError) setError({ code: 'decrypt' });
      else setError({ code: 'internal' });
    } finally {
      setProgress(null);
    }
  };

  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="success">{t('success')}</Alert>
        <Link href="/login" className="inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
          {t('toLogin')}
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Alert tone="warning">{t('warning')}</Alert>
      <TextField name="orgShortName" label={tl('orgShortName')} required value={v.org} onChange={set('org')} error={vMsg(errors.org)} />
      <TextField name="userShortName" label={tl('userShortName')} required autoComplete="username" value={v.user} onChange={set('user')} error={vMsg(errors.user)} />
      <TextField name="masterPassword" label={t('masterPassword')} required type="password" autoComplete="off" value={v.master} onChange={set('master')} error={vMsg(errors.master)} />
      <div>
        <TextField name="newPassword" label={t('newPassword')} required type="password" autoComplete="new-password" value={v.pw} onChange={set('pw')} error={vMsg(errors.pw)} />
        <PasswordStrength verdict={pwVerdict} />
      </div>
      <TextField name="newPasswordRepeat" label={t('newPasswordRepeat')} required type="password" autoComplete="new-password" value={v.pw2} onChange={set('pw2')} error={vMsg(errors.pw2)} />
      {error && <Alert tone="error">{eMsg(error.code, error.retry)}</Alert>}
      {progress !== null && <ProgressBar value={progress} label={tc('deriving', { percent: Math.round(progress * 100) })} />}
      <Button type="submit" pending={progress !== null}>
        {t('submit')}
      </Button>
    </form>
  );
}
