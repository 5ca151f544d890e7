'use client';
import { useSyncExternalStore } from 'react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';

// Accounts made before the password rules (or under weaker ones) are asked to
// change a password that is easy to guess: the login checks it in the browser
// (the server never sees it) and remembers the verdict for this tab only.
const KEY = 'konsil.weak-password';
const listeners = new Set<() => void>();

export function setWeakPasswordNotice(weak: boolean): void {
  if (weak) sessionStorage.setItem(KEY, '1');
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function clearWeakPasswordNotice(): void {
  setWeakPasswordNotice(false);
}

export function WeakPasswordNotice() {
  const t = useTranslations('account');
  const weak = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => sessionStorage.getItem(KEY) === '1',
    () => false,
  );
  if (!weak) return null;
  return (
    <Alert tone="warning" className="mb-4" title={t('weakTitle')}>
      <span data-testid="weak-password-notice">
        {t('weakText')}{' '}
        <Link href="/app/konto" className="font-semibold underline">
          {t('weakLink')}
        </Link>
      </span>
    </Alert>
  );
}
