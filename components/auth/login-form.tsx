'use client';
import { useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { loginFlow, requestDeviceFlow, type LoginOutcome } from '@/lib/client/flows';
import { ApiError, errorCode } from '@/lib/client/api';
import { checkPassword } from '@/lib/validation/password-check';
import { setWeakPasswordNotice } from '@/components/account/weak-password-notice';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';

type Stage = { kind: 'form' } | { kind: Exclude<LoginOutcome['status'], 'ok'>; authKey: string } | { kind: 'requested' };

export function LoginForm() {
  const t = useTranslations('login');
  const locale = useLocale();
  const tc = useTranslations('common');
  const eMsg = useErrorMessage();
  const vMsg = useValidationMessage();
  const router = useRouter();
  const [org, setOrg] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [deviceError, setDeviceError] = useState<string | undefined>();
  const [error, setError] = useState<{ code: string; retry?: number } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'form' });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!org.trim() || !user.trim() || !password) {
      setError({ code: 'login_failed' });
      return;
    }
    setProgress(0);
    try {
      const res = await loginFlow({ orgShortName: org.trim(), userShortName: user.trim(), password, onProgress: setProgress });
      if (res.status === 'ok') {
        // A password from before the current rules: the app asks for a new one (checked here, never on the server).
        const verdict = await checkPassword(password, [org, user], locale === 'en' ? 'en' : 'de').catch(() => null);
        setWeakPasswordNotice(verdict ? !verdict.acceptable : false);
        router.push('/app');
        return;
      }
      setStage({ kind: res.status, authKey: res.authKey });
      setPassword('');
    } catch (err) {
      if (err instanceof ApiError) setError({ code: err.code === 'validation' ? 'login_failed' : err.code, retry: err.retryAfterSeconds });
      // The password was right, but a key the server served is not to be trusted (a changed organisation key, an unsigned grant).
      else if (errorCode(err) !== 'internal') setError({ code: errorCode(err) });
      else setError({ code: 'login_failed' });
    } finally {
      setProgress(null);
    }
  };

  const requestDevice = async (e: React.FormEvent) => {
    e.preventDefault();
    if (stage.kind === 'form' || stage.kind === 'requested') return;
    if (!deviceName.trim()) {
      setDeviceError('required');
      return;
    }
    setProgress(1);
    try {
      await requestDeviceFlow({ orgShortName: org.trim(), userShortName: user.trim(), authKey: stage.authKey, deviceName: deviceName.trim() });
      setStage({ kind: 'requested' });
    } catch (err) {
      setError({ code: err instanceof ApiError ? err.code : 'internal', retry: err instanceof ApiError ? err.retryAfterSeconds : undefined });
    } finally {
      setProgress(null);
    }
  };

  if (stage.kind === 'device_needed' || stage.kind === 'device_revoked') {
    return (
      <form onSubmit={requestDevice} className="space-y-4" noValidate>
        <Alert tone="warning" title={stage.kind === 'device_needed' ? t('deviceTitle') : t('deviceRevokedTitle')}>
          {stage.kind === 'device_needed' ? t('deviceIntro') : t('deviceRevoked')}
        </Alert>
        <TextField
          name="deviceName"
          label={t('deviceName')}
          required
          value={deviceName}
          onChange={(e) => {
            setDeviceName(e.target.value);
            setDeviceError(undefined);
          }}
          error={vMsg(deviceError)}
        />
        {error && <Alert tone="error">{eMsg(error.code, error.retry)}</Alert>}
        <Button type="submit" pending={progress !== null}>
          {t('deviceRequest')}
        </Button>
      </form>
    );
  }
  if (stage.kind === 'requested' || stage.kind === 'device_pending') {
    return (
      <div className="space-y-4">
        <Alert tone="info" title={t('devicePendingTitle')}>
          {t('devicePending')}
        </Alert>
        <Button type="button" variant="secondary" onClick={() => setStage({ kind: 'form' })}>
          {t('tryAgain')}
        </Button>
      </div>
    );
  }
  if (stage.kind === 'member_pending') {
    return (
      <div className="space-y-4">
        <Alert tone="info" title={t('memberPendingTitle')}>
          {eMsg('member_pending')}
        </Alert>
        <Button type="button" variant="secondary" onClick={() => setStage({ kind: 'form' })}>
          {t('tryAgain')}
        </Button>
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <TextField name="orgShortName" label={t('orgShortName')} required autoComplete="organization" value={org} onChange={(e) => setOrg(e.target.value)} />
      <TextField name="userShortName" label={t('userShortName')} required autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
      <TextField
        name="password"
        label={t('password')}
        required
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error &&
        (error.code === 'login_failed' ? (
          <Alert tone="error" title={t('errorTitle')}>
            <p>{t('hintsTitle')}</p>
            <ul className="mt-1 list-disc pl-5">
              <li>{t('hintCase')}</li>
              <li>{t('hintSpaces')}</li>
              <li>{t('hintShortName')}</li>
            </ul>
          </Alert>
        ) : error.code === 'locked' ? (
          <Alert tone="error" title={t('lockedTitle')}>
            {eMsg('locked', error.retry)}
          </Alert>
        ) : (
          <Alert tone="error">{eMsg(error.code, error.retry)}</Alert>
        ))}
      {progress !== null && <ProgressBar value={progress} label={tc('deriving', { percent: Math.round(progress * 100) })} />}
      <div className="flex flex-wrap items-center justify-between gap-3 pt-2">
        <Button type="submit" pending={progress !== null}>
          {t('submit')}
        </Button>
        <Link href="/recover" className="text-sm font-medium text-brand-700 underline">
          {t('forgot')}
        </Link>
      </div>
      <p className="border-t border-slate-200 pt-4 text-sm text-slate-600">
        {t('noAccount')}{' '}
        <Link href="/register" className="font-medium text-brand-700 underline">
          {t('register')}
        </Link>
      </p>
    </form>
  );
}
