'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { PageTitle } from '@/components/ui/card';
import { BoxTabs, type Box } from './box-tabs';
import { InboxList } from './inbox-list';
import { SentList } from './sent-list';

/** Received studies and the send log, each opened and checked in this browser. */
export function StudiesClient({ box }: { box: Box }) {
  const t = useTranslations('studyList');
  return (
    <div>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
        <div className="flex shrink-0 flex-wrap gap-2 self-start">
          <Link
            href="/app/ansehen"
            className="inline-flex items-center justify-center rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            {t('viewLocal')}
          </Link>
          <Link
            href="/app/studien/senden"
            className="inline-flex items-center justify-center rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold tracking-wide text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            {t('send')}
          </Link>
        </div>
      </div>
      <BoxTabs box={box} labels={{ inbox: t('inbox'), sent: t('sent') }}>
        {box === 'sent' ? <SentList /> : <InboxList />}
      </BoxTabs>
    </div>
  );
}
