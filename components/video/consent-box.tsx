'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { CheckboxField } from '@/components/ui/field';

/** The consent a patient or guest gives before entering, with the terms and privacy links. */
export function ConsentBox({ text, label, checked, error, onChange }: { text: string; label: string; checked: boolean; error?: string; onChange: (checked: boolean) => void }) {
  const t = useTranslations('join');
  return (
    <div className="mt-6 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
      <h2 className="text-base font-semibold">{t('consentTitle')}</h2>
      <p className="mt-1 text-sm text-slate-700">{text}</p>
      <CheckboxField className="mt-3" name="consent" label={label} checked={checked} onChange={(e) => onChange(e.target.checked)} error={error} required />
      <p className="mt-2 text-xs text-slate-600">
        <Link href="/nutzungsbedingungen" className="underline" target="_blank">
          {t('terms')}
        </Link>{' '}
        ·{' '}
        <Link href="/datenschutz" className="underline" target="_blank">
          {t('privacy')}
        </Link>
      </p>
    </div>
  );
}
