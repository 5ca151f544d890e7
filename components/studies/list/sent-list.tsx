'use client';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useStudyList, type ListedStudy } from '@/components/studies/use-studies';
import { useListFormat } from './format';
import { MonthQuota } from './month-quota';
import { SentStatus } from './sent-status';
import { PatientAndStudyCells, RefusedCell, SizeCell } from './study-cells';
import { Cell, StackedRow, StackedTable } from '@/components/ui/stacked-table';

function SentRow({ study }: { study: ListedStudy }) {
  const t = useTranslations('studyList');
  const f = useListFormat();
  const { view, opened } = study;
  return (
    <StackedRow refused={!opened} testId="sent-study">
      <Cell label={t('col.sent')}>{f.when(view.createdAt)}</Cell>
      <Cell label={t('col.to')}>
        <span className="block font-medium text-slate-900">{view.recipient.orgName}</span>
        <span className="block text-slate-600">{t('toMailbox', { name: view.recipient.mailboxName })}</span>
        {view.sender.user && <span className="block text-slate-600">{t('sentBy', { who: view.sender.user.shortName })}</span>}
      </Cell>
      {opened ? <PatientAndStudyCells opened={opened} /> : <RefusedCell id={view.id} error={study.error} />}
      <SizeCell opened={opened} bytes={view.bytes} />
      <Cell label={t('col.status')}>
        <SentStatus study={study} />
      </Cell>
    </StackedRow>
  );
}

/** The send log: what this member's mailboxes sent, with upload state and the recipient's receipts. */
export function SentList() {
  const t = useTranslations('studyList');
  const eMsg = useErrorMessage();
  const { studies, error, mailboxes } = useStudyList('sent');
  const headers = [t('col.sent'), t('col.to'), t('col.patient'), t('col.study'), t('col.size'), t('col.status')];

  return (
    <div className="space-y-4" aria-busy={!studies && !error}>
      <MonthQuota sentCount={studies?.length} />
      {error && <Alert tone="error">{eMsg(error)}</Alert>}
      {!studies && !error && <p className="text-sm text-slate-600">{t('loading')}</p>}
      {studies && studies.length === 0 && <p className="text-sm text-slate-600">{mailboxes?.length === 0 ? t('noMailbox') : t('sentEmpty')}</p>}
      {studies && studies.length > 0 && (
        <StackedTable caption={t('sentCaption')} headers={headers} testId="sent-table">
          {studies.map((s) => (
            <SentRow key={s.view.id} study={s} />
          ))}
        </StackedTable>
      )}
    </div>
  );
}
