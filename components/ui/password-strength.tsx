'use client';
import { useEffect, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { checkPassword, type PasswordVerdict } from '@/lib/validation/password-check';

/** zxcvbn's verdict on a password as it is typed (null while empty or loading). */
export function usePasswordVerdict(password: string, userInputs: readonly string[]): PasswordVerdict | null {
  const locale = useLocale() === 'en' ? 'en' : 'de';
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(null);
  const inputs = userInputs.join('\u0000');
  useEffect(() => {
    if (!password) return;
    let live = true;
    const timer = window.setTimeout(() => {
      void checkPassword(password, inputs.split('\u0000'), locale).then((v) => live && setVerdict(v));
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [password, inputs, locale]);
  // The last verdict stays while the next is computed; an emptied field has none.
  return password ? verdict : null;
}

/** Field errors ('passwordWeak') for passwords zxcvbn finds too easy to guess; checked on submit. */
export async function weakPasswordErrors(fields: Record<string, string>, userInputs: readonly string[], locale: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, pw] of Object.entries(fields)) {
    if (pw && !(await checkPassword(pw, userInputs, locale === 'en' ? 'en' : 'de')).acceptable) out[k] = 'passwordWeak';
  }
  return out;
}

const COLORS = ['bg-red-600', 'bg-orange-500', 'bg-amber-400', 'bg-lime-500', 'bg-emerald-600'];

/** The meter under a password field: how strong, and why not stronger. */
export function PasswordStrength({ verdict }: { verdict: PasswordVerdict | null }) {
  const t = useTranslations('register');
  if (!verdict) return null;
  const v = verdict.score;
  return (
    <div className="mt-2" aria-live="polite" data-testid="password-strength" data-score={v}>
      <div className="flex gap-1" aria-hidden>
        {[0, 1, 2, 3].map((i) => (
          <span key={i} className={`h-1.5 flex-1 rounded ${i < Math.max(1, v) ? COLORS[v] : 'bg-slate-200'}`} />
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {t('strength.label')}: {t(`strength.${v}`)}
        {verdict.warning && <span className="block text-slate-800">{verdict.warning}</span>}
        {!verdict.acceptable && verdict.suggestions[0] && <span className="block">{verdict.suggestions[0]}</span>}
      </p>
    </div>
  );
}
