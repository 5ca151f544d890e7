'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { useKeys } from '@/lib/client/key-store';
import { unlockFlow } from '@/lib/client/flows';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { ApiError } from '@/lib/client/api';
import { useErrorMessage } from '@/components/register/use-field-errors';
import { useSession } from './session-context';

/** Shows the app only while the keys are in memory; after a reload it asks for the password. */
export function KeyGate({ children }: { children: React.ReactNode }) {
  const keys = useKeys();
  const s = useSession();
  if (keys && keys.userId === s.userId) return <>{children}</>;
  return <UnlockForm />;
}

function UnlockForm() {
  const t = useTranslations('app');
  const tl = useTranslations('login');
  const tc = useTranslations('common');
  const eMsg = useErrorMessage();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setProgress(0);
    try {
      await unlockFlow(password, setProgress);
    } catch (err) {
      setError(err instanceof ApiError ? eMsg(err.code) : t('unlockFailed'));
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-xl font-semibold">{t('unlockTitle')}</h1>
        <p className="mt-2 text-sm text-slate-600">{t('unlockIntro')}</p>
        <form onSubmit={submit} className="mt-4 space-y-4" noValidate>
          <TextField name="password" type="password" label={tl('password')} required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          {error && <Alert tone="error">{error}</Alert>}
          {progress !== null && <ProgressBar value={progress} label={tc('deriving', { percent: Math.round(progress * 100) })} />}
          <Button type="submit" pending={progress !== null}>
            {t('unlock')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
