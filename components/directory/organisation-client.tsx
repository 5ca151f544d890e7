'use client';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useApiResource } from '@/components/app/use-api-resource';
import { useSession } from '@/components/app/session-context';
import { api } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { ownPartnerKeys } from '@/lib/client/partners';
import { ZDirectoryVisibility, type TDirectoryVisibility } from '@/lib/directory/schemas';
import { Fingerprint } from './fingerprint';

type ListingProps = { value: TDirectoryVisibility; mayEdit: boolean; busy: boolean; error: string | null; onSave: (v: TDirectoryVisibility) => Promise<unknown> };

/** Mounted once the listing is loaded, so the form starts from it. */
function ListingForm({ value, mayEdit, busy, error, onSave }: ListingProps) {
  const t = useTranslations('directory.listing');
  const form = useForm<TDirectoryVisibility>({ resolver: zodResolver(ZDirectoryVisibility), defaultValues: value });
  const save = form.handleSubmit(onSave);
  return (
    <form onSubmit={save} className="space-y-3">
      <div className="flex items-start gap-3">
        <input id="directory-visible" type="checkbox" disabled={!mayEdit} className="mt-1 h-4 w-4 rounded border-slate-300 text-brand-600" aria-describedby="directory-visible-hint" {...form.register('directoryVisible')} />
        <div>
          <label htmlFor="directory-visible" className="text-sm font-medium text-slate-900">
            {t('visible')}
          </label>
          <p id="directory-visible-hint" className="text-xs text-slate-600">
            {t('hint')}
          </p>
        </div>
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      {form.formState.isSubmitSuccessful && !error && <Alert tone="success">{t('saved')}</Alert>}
      {mayEdit ? (
        <Button type="submit" pending={busy}>
          {t('save')}
        </Button>
      ) : (
        <p className="text-sm text-slate-600">{t('adminsOnly')}</p>
      )}
    </form>
  );
}

export function OrganisationClient() {
  const t = useTranslations('directory');
  const s = useSession();
  const keys = useKeys();
  const { data, error, busy, run } = useApiResource<TDirectoryVisibility>('/api/org/directory');
  const onSave = (v: TDirectoryVisibility) => run(() => api('/api/org/directory', { method: 'PUT', body: v }));
  // Our own fingerprint comes from the keys this browser holds, not from what the server says they are.
  const own = ownPartnerKeys(keys);
  return (
    <div>
      <PageTitle intro={t('organisation.intro')}>{t('organisation.title')}</PageTitle>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-4 text-base font-semibold text-slate-900">{t('listing.title')}</h2>
          {data && <ListingForm value={data} mayEdit={s.role !== 'member'} busy={busy} error={error} onSave={onSave} />}
        </Card>
        {own && (
          <Card>
            <h2 className="text-base font-semibold text-slate-900">{t('fingerprint')}</h2>
            <p className="mt-1 text-sm text-slate-600">{t('fingerprintHint')}</p>
            <div className="mt-4">
              <Fingerprint keys={own} name={s.orgName} />
            </div>
          </Card>
        )}
      </div>
    </div>
  );
}
