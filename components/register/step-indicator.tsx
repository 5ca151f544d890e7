'use client';
import { useTranslations } from 'next-intl';

export type StepKey = 'organisation' | 'credentials' | 'billing' | 'summary';
const ALL: StepKey[] = ['organisation', 'credentials', 'billing', 'summary'];

export function StepIndicator({ current, hasBilling }: { current: StepKey; hasBilling: boolean }) {
  const t = useTranslations('register.steps');
  const tr = useTranslations('register');
  const currentIndex = ALL.indexOf(current);
  // Numbered as the card counts them ("Schritt 3 von 3"): a step the plan skips has no number.
  const numbers = new Map(ALL.filter((k) => k !== 'billing' || hasBilling).map((k, n) => [k, n + 1]));
  return (
    <ol className="flex flex-wrap items-center gap-x-2 gap-y-2 text-sm" aria-label={tr('progress')}>
      {ALL.map((key, i) => {
        const skipped = !numbers.has(key);
        const state = key === current ? 'current' : i < currentIndex ? 'done' : 'todo';
        return (
          <li key={key} className="flex items-center gap-2">
            {i > 0 && <span className="text-slate-400" aria-hidden>—</span>}
            <span
              aria-current={state === 'current' ? 'step' : undefined}
              className={`flex items-center gap-2 rounded-full px-3 py-1 ${
                skipped
                  ? 'text-slate-500 line-through'
                  : state === 'current'
                    ? 'bg-brand-600 font-semibold text-white'
                    : state === 'done'
                      ? 'bg-brand-100 text-brand-900'
                      : 'bg-slate-100 text-slate-700'
              }`}
            >
              {!skipped && <span className="font-mono">{numbers.get(key)}</span>} {t(key)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
