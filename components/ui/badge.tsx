import type { ReactNode } from 'react';

/** A small status label. */
const badgeTones = {
  brand: 'bg-brand-50 text-brand-800 ring-brand-200',
  neutral: 'bg-slate-100 text-slate-700 ring-slate-200',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  warning: 'bg-amber-50 text-amber-900 ring-amber-300',
  error: 'bg-red-100 text-red-900 ring-red-300',
};

export function Badge({ tone, children }: { tone: keyof typeof badgeTones; children: ReactNode }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ring-1 ${badgeTones[tone]}`}>{children}</span>;
}
