'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { SelectField } from '@/components/ui/field';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useStudyList, type ListedStudy } from '@/components/studies/use-studies';
import { useListFormat } from './format';
import { PatientAndStudyCells, RefusedCell, SizeCell } from './study-cells';
import { Cell, StackedRow, StackedTable } from '@/components/ui/stacked-table';
import { Badge } from '@/components/ui/badge';

function InboxStatus({ study }: { study: ListedStudy }) {
  const t = useTranslations('studyList');
  const f = useListFormat();
  const opened = study.view.opened;
  if (!study.opened) return <Badge tone="error">{t('status.refused')}</Badge>;
  if (!opened) return <Badge tone="brand">{t('status.new')}</Badge>;
  return (
    <>
      <Badge tone="neutral">{t('status.opened')}</Badge>
      <span className="mt-1 block text-xs text-slate-600">{t('receiptBy', { date: f.when(opened.at), who: opened.by?.shortName ?? '–' })}</span>
    </>
  );
}

function InboxRow({ study }: { study: ListedStudy }) {
  const t = useTranslations('studyList');
  const f = useListFormat();
  const { view, opened } = study;
  return (
    <StackedRow refused={!opened} testId="inbox-study">
      <Cell label={t('col.received')}>{f.when(view.completedAt ?? view.createdAt)}</Cell>
      <Cell label={t('col.from')}>
        <span className="block font-medium text-slate-900">{view.sender.gone ? t('senderGone', { name: view.sender.orgName }) : view.sender.orgName}</span>
        {view.sender.user && <span className="block text-slate-600">{view.sender.user.shortName}</span>}
        <span className="block text-slate-600">{t('inMailbox', { name: view.recipient.mailboxName })}</span>
      </Cell>
      {opened ? <PatientAndStudyCells opened={opened} /> : <RefusedCell id={view.id} error={study.error} />}
      <SizeCell opened={opened} bytes={view.bytes} />
      <Cell label={t('col.status')}>
        <InboxStatus study={study} />
      </Cell>
    </StackedRow>
  );
}

/** The studies that arrived in this member's mailboxes, newest first, filterable by mailbox. */
export function InboxList() {
  const t = useTranslations('studyList');
  const eMsg = useErrorMessage();
  const { studies, error, mailboxes } = useStudyList('inbox');
  const [mailboxId, setMailboxId] = useState('');
  // A mailbox the member lost access to is no longer a filter.
  const filter = mailboxes?.some((m) => m.view.id === mailboxId) ? mailboxId : '';
  const shown = studies?.filter((s) => !filter || s.view.recipient.mailboxId === filter) ?? null;
  const headers = [t('col.received'), t('col.from'), t('col.patient'), t('col.study'), t('col.size'), t('col.status')];

  return (
    <div className="space-y-4" aria-busy={!studies && !error}>
      {error && <Alert tone="error">{eMsg(error)}</Alert>}
      {mailboxes && mailboxes.length > 1 && (
        <SelectField
          label={t('mailboxFilter')}
          name="mailbox"
          className="max-w-xs"
          value={filter}
          onChange={(e) => setMailboxId(e.target.value)}
          placeholder={t('allMailboxes')}
          options={mailboxes.map((m) => ({ value: m.view.id, label: m.view.name }))}
        />
      )}
      {!studies && !error && <p className="text-sm text-slate-600">{t('loading')}</p>}
      {studies && studies.length === 0 && <p className="text-sm text-slate-600">{mailboxes?.length === 0 ? t('noMailbox') : t('inboxEmpty')}</p>}
      {shown && studies && studies.length > 0 && shown.length === 0 && <p className="text-sm text-slate-600">{t('mailboxEmpty')}</p>}
      {shown && shown.length > 0 && (
        <StackedTable caption={t('inboxCaption')} headers={headers} testId="inbox-table">
          {shown.map((s) => (
            <InboxRow key={s.view.id} study={s} />
          ))}
        </StackedTable>
      )}
    </div>
  );
}
