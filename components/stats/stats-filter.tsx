'use client';
import { useTranslations } from 'next-intl';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { CHECK_ON_SUBMIT, registerClearing, setServerFieldErrors } from '@/components/ui/form-errors';
import { useValidationMessage } from '@/components/ui/use-field-errors';
import { ZStatsRange, type TStatsRange } from '@/lib/stats/schemas';

const resolver = zodResolver(ZStatsRange);

function useStatsFieldMessage() {
  const t = useTranslations('stats.validation');
  const vMsg = useValidationMessage();
  return (key: string | undefined) => (key ? (t.has(key) ? t(key) : vMsg(key)) : undefined);
}

/**
 * The month range and (for admins) the member. `onShow` loads the figures and
 * throws the server's refusal, whose field errors land on the fields.
 */
export function StatsFilter({
  defaults,
  memberOptions,
  onShow,
  exportHref,
}: {
  defaults: TStatsRange;
  memberOptions: { id: string; name: string }[] | null;
  onShow: (q: TStatsRange) => Promise<void>;
  exportHref: string;
}) {
  const t = useTranslations('stats.filter');
  const fMsg = useStatsFieldMessage();
  const form = useForm<TStatsRange>({ resolver, defaultValues: defaults, ...CHECK_ON_SUBMIT });
  const { handleSubmit, formState, setError } = form;
  const field = registerClearing(form);
  const errors = formState.errors;

  const submit = handleSubmit(async (q) => {
    try {
      await onShow(q);
    } catch (e) {
      setServerFieldErrors(setError, e);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t('label')} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div className="grid items-start gap-4 sm:grid-cols-2 lg:grid-cols-[repeat(3,minmax(0,1fr))_auto]">
        <TextField {...field('from')} type="month" label={t('from')} placeholder={t('monthHint')} error={fMsg(errors.from?.message)} className="min-w-0" />
        <TextField {...field('to')} type="month" label={t('to')} placeholder={t('monthHint')} error={fMsg(errors.to?.message)} className="min-w-0" />
        {memberOptions && (
          <SelectField
            {...field('member')}
            label={t('member')}
            options={[{ value: '', label: t('allMembers') }, ...memberOptions.map((m) => ({ value: m.id, label: m.name }))]}
            error={fMsg(errors.member?.message)}
            className="min-w-0"
          />
        )}
        <div className="flex flex-wrap gap-2 sm:mt-6">
          <Button type="submit" pending={formState.isSubmitting}>
            {t('show')}
          </Button>
          <a
            href={exportHref}
            download
            title={t('exportHint')}
            data-testid="stats-export"
            className="inline-flex items-center justify-center gap-2 rounded-md bg-white px-4 py-2 text-sm font-semibold tracking-wide text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4">
              <path d="M8 2v8m0 0L4.5 6.5M8 10l3.5-3.5M3 13h10" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {t('export')}
          </a>
        </div>
      </div>
    </form>
  );
}
