'use client';
import { useLocationHash } from '@/lib/client/use-location-hash';
import { useEffect, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { PasswordStrength, usePasswordVerdict, weakPasswordErrors } from '@/components/ui/password-strength';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { acceptInvitationFlow, type InvitationInfo } from '@/lib/client/flows';
import { api, ApiError, errorCode } from '@/lib/client/api';
import { parseInvitationFragment, parseInvitationSecret } from '@/lib/protocol/trust';
import { errorText, useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import { ZCredentialsStep, issuesToFieldErrors } from '@/lib/validation/registration';
import { fingerprint } from '@/lib/crypto/asymmetric';
import { fromB64u } from '@/lib/crypto/encoding';

export function InviteForm() {
  const t = useTranslations('invite');
  const locale = useLocale();
  const tr = useTranslations('register');
  const tc = useTranslations('common');
  const eMsg = useErrorMessage();
  const vMsg = useValidationMessage();
  // The token travels in the fragment so it never reaches server logs.
  const hash = useLocationHash();
  const fragment = hash === null ? null : parseInvitationFragment(hash);
  const token = fragment?.token || null;
  // The secret comes with the link when the admin handed it over; a link Konsil e-mailed has none, and the admin tells it.
  const linkSecret = fragment?.secret ?? null;
  const [typedSecret, setTypedSecret] = useState('');
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [fetchError, setFetchError] = useState<string | null>(null);
  const loadError = fragment && !token ? t('missing') : fetchError;
  const [v, setV] = useState({ userShortName: '', password: '', passwordRepeat: '', masterPassword: '', masterPasswordRepeat: '', deviceName: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [done, setDone] = useState<{ member: string; org: string } | null>(null);

  useEffect(() => {
    if (!token) return;
    api<InvitationInfo>('/api/invitations/inspect', { body: { token } })
      .then(setInfo)
      .catch((e) => setFetchError(errorText(eMsg, e)));
  }, [token, eMsg]);

  const knownInputs = [v.userShortName, info?.orgShortName ?? '', info?.orgName ?? ''];
  const pwVerdict = usePasswordVerdict(v.password, knownInputs);
  const masterVerdict = usePasswordVerdict(v.masterPassword, knownInputs);

  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setV((o) => ({ ...o, [k]: e.target.value }));
    setErrors((o) => ({ ...o, [k]: '' }));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!info || !token) return;
    setError(null);
    const parsed = ZCredentialsStep.safeParse({ ...v, orgShortName: info.orgShortName });
    const secret = linkSecret ?? parseInvitationSecret(typedSecret);
    const weak = await weakPasswordErrors({ password: v.password, masterPassword: v.masterPassword }, knownInputs, locale);
    if (!parsed.success || !secret || Object.keys(weak).length) {
      setErrors({ ...weak, ...(parsed.success ? {} : issuesToFieldErrors(parsed.error)), ...(secret ? {} : { inviteSecret: typedSecret ? 'invalid' : 'required' }) });
      return;
    }
    setProgress(0);
    try {
      const res = await acceptInvitationFlow({ token, secret, info, ...v, onProgress: setProgress });
      setDone({ member: fingerprint(fromB64u(res.x25519Public)), org: res.orgFingerprint });
    } catch (err) {
      if (err instanceof ApiError && err.fields) setErrors(err.fields);
      setError(eMsg(errorCode(err)));
    } finally {
      setProgress(null);
    }
  };

  if (loadError) return <Alert tone="error">{loadError}</Alert>;
  if (!info) return <p className="text-sm text-slate-600">{tc('loading')}</p>;
  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title={t('doneTitle')}>
          {t('done')}
        </Alert>
        <p className="text-sm">{t('fingerprint')}</p>
        <p className="rounded bg-slate-100 px-3 py-2 font-mono text-sm" data-testid="member-fingerprint">
          {done.member}
        </p>
        <p className="text-sm">{t('orgFingerprint')}</p>
        <p className="rounded bg-slate-100 px-3 py-2 font-mono text-sm" data-testid="org-fingerprint">
          {done.org}
        </p>
      </div>
    );
  }
  const f = (k: keyof typeof v, type = 'text', auto = 'off', hint?: string) => (
    <TextField name={k} label={tr(`fields.${k}`)} required type={type} autoComplete={auto} hint={hint} value={v[k]} onChange={set(k)} error={vMsg(errors[k])} />
  );
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <p className="text-sm text-slate-700">{t('intro', { orgName: info.orgName, orgShortName: info.orgShortName })}</p>
      <Alert tone="warning" title={tr('warningTitle')}>
        {tr('warning')}
      </Alert>
      {f('userShortName', 'text', 'username', tr('hints.userShortName'))}
      <div>
        {f('password', 'password', 'new-password', tr('hints.password'))}
        <PasswordStrength verdict={pwVerdict} />
      </div>
      {f('passwordRepeat', 'password', 'new-password')}
      <div>
        {f('masterPassword', 'password', 'new-password', tr('hints.masterPassword'))}
        <PasswordStrength verdict={masterVerdict} />
      </div>
      {f('masterPasswordRepeat', 'password', 'new-password')}
      {f('deviceName', 'text', 'off', tr('hints.deviceName'))}
      {!linkSecret && (
        <TextField
          name="inviteSecret"
          label={t('secret')}
          required
          autoComplete="off"
          hint={t('secretHint')}
          value={typedSecret}
          onChange={(e) => {
            setTypedSecret(e.target.value);
            setErrors((o) => ({ ...o, inviteSecret: '' }));
          }}
          error={vMsg(errors.inviteSecret)}
        />
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {progress !== null && <ProgressBar value={progress} label={tc('deriving', { percent: Math.round(progress * 100) })} />}
      <Button type="submit" pending={progress !== null}>
        {t('submit')}
      </Button>
    </form>
  );
}
