'use client';
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { keysHeld, setKeys, useKeys } from '@/lib/client/key-store';
import { unlockFlow } from '@/lib/client/flows';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { api, errorCode } from '@/lib/client/api';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from './session-context';

export const IDLE_LOCK_MINUTES = 15;
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Shows the app only while the keys are in memory; after a reload, or after
 * IDLE_LOCK_MINUTES without input on a workstation someone walked away from
 * (but never during a call), it drops them, locks the session on the server,
 * and asks for the password.
 */
export function KeyGate({ children }: { children: React.ReactNode }) {
  const keys = useKeys();
  const s = useSession();
  const [idleLocked, setIdleLocked] = useState(false);
  const unlocked = !!keys && keys.userId === s.userId;
  // Unlocked again: the next lock says why afresh.
  if (unlocked && idleLocked) setIdleLocked(false);

  useEffect(() => {
    if (!unlocked) return;
    let timer = window.setTimeout(lock, IDLE_LOCK_MINUTES * 60_000);
    function lock() {
      // A call in progress is not cut off: the lock waits for it to end.
      if (keysHeld()) {
        timer = window.setTimeout(lock, IDLE_LOCK_MINUTES * 60_000);
        return;
      }
      setIdleLocked(true);
      setKeys(null);
    }
    const touch = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, IDLE_LOCK_MINUTES * 60_000);
    };
    for (const e of ACTIVITY) window.addEventListener(e, touch, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, touch);
    };
  }, [unlocked]);

  // Without its keys the tab keeps no powers on the server either, until the password unlocks it.
  useEffect(() => {
    if (!unlocked) void api('/api/session/lock', { body: {} }).catch(() => {});
  }, [unlocked]);

  if (unlocked) return <>{children}</>;
  return <UnlockForm idleLocked={idleLocked} />;
}

function UnlockForm({ idleLocked }: { idleLocked: boolean }) {
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
      const code = errorCode(err);
      setError(code !== 'internal' ? eMsg(code) : t('unlockFailed'));
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-xl font-semibold">{t('unlockTitle')}</h1>
        <p className="mt-2 text-sm text-slate-600">{idleLocked ? t('idleLocked', { minutes: IDLE_LOCK_MINUTES }) : t('unlockIntro')}</p>
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
