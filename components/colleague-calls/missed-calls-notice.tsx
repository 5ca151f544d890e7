'use client';
// On the overview: how many calls from colleagues were missed, with the way to the list.
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { useApiResource } from '@/components/app/use-api-resource';

export function MissedCallsNotice() {
  const t = useTranslations('colleagueCalls');
  const { data } = useApiResource<{ calls: unknown[] }>('/api/colleague-calls/missed');
  const count = data?.calls.length ?? 0;
  if (!count) return null;
  return (
    <Alert tone="info" className="mb-6">
      <span data-testid="missed-calls-notice">
        {t('missedNotice', { count })}{' '}
        <Link href="/app/stammdaten/benutzer" className="font-medium underline">
          {t('missedNoticeLink')}
        </Link>
      </span>
    </Alert>
  );
}
