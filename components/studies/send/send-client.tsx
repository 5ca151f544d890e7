'use client';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { api } from '@/lib/client/api';
import { detailsOf, inspectPicked, outgoingFiles, type Picked } from '@/lib/client/studies/prepare';
import { registerStudy, type Registered, type SendTarget } from '@/lib/client/studies/send';
import type { Summary } from '@/lib/dicom/summary';
import { useOpenedMailboxes } from '../use-studies';
import { DropZone } from './drop-zone';
import { RecipientPicker } from './recipient-picker';
import { Skipped, StudyCard } from './study-summary';
import { UploadPanel } from './upload-panel';
import { useUpload } from './use-upload';

type Inspection = { summary: Summary; byPath: Map<string, Picked> };
type Phase = 'edit' | 'hashing' | 'uploading' | 'done';

/** "Studie senden": pick, check, choose the recipient, send — encrypted in this browser. */
export function SendClient() {
  const t = useTranslations('studySend');
  const eMsg = useErrorMessage();
  const { keys, mailboxes, error: mbError } = useOpenedMailboxes();
  const [inspecting, setInspecting] = useState<{ done: number; total: number } | null>(null);
  const [found, setFound] = useState<Inspection | null>(null);
  const [chosen, setChosen] = useState(0);
  const [withAttachments, setWithAttachments] = useState(true);
  const [target, setTarget] = useState<SendTarget | null>(null);
  const [fromId, setFromId] = useState<string>('');
  const [message, setMessage] = useState('');
  const [phase, setPhase] = useState<Phase>('edit');
  const [hashed, setHashed] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [month, setMonth] = useState<{ sent: number; limit: number | null } | null>(null);
  const upload = useUpload();
  const [registered, setRegistered] = useState<Registered | null>(null);

  useEffect(() => {
    api<{ month: { sent: number; limit: number | null } }>('/api/org/studies').then((r) => setMonth(r.month), () => undefined);
  }, [phase]);

  const from = useMemo(() => mailboxes?.find((m) => m.view.id === fromId) ?? mailboxes?.[0] ?? null, [mailboxes, fromId]);
  const study = found?.summary.studies[chosen] ?? null;

  const onPicked = async (picked: Picked[]) => {
    setFound(null);
    setError(null);
    setInspecting({ done: 0, total: picked.length });
    try {
      const r = await inspectPicked(picked, (done) => setInspecting({ done, total: picked.length }));
      setFound(r);
      setChosen(Math.max(0, r.summary.studies.findIndex((s) => !s.patientsDiffer)));
    } catch (e) {
      setError(errorText(eMsg, e));
    } finally {
      setInspecting(null);
    }
  };

  const send = async () => {
    if (!keys || !found || !study || !target || !from) return;
    setError(null);
    setPhase('hashing');
    setHashed(0);
    try {
      const files = await outgoingFiles(study, withAttachments ? found.summary.attachments : [], found.byPath, setHashed);
      const reg = await registerStudy(keys, { target, from: from.view, message: message.trim(), details: detailsOf(study), files });
      setRegistered(reg);
      await runUpload(reg);
    } catch (e) {
      setError(errorText(eMsg, e));
      setPhase('edit');
    }
  };

  /** Uploads; a failure leaves the study registered, and "Erneut versuchen" continues where the server stopped. */
  const runUpload = async (reg: Registered) => {
    setError(null);
    setPhase('uploading');
    try {
      await upload.start(reg);
      setPhase('done');
    } catch (e) {
      setError(errorText(eMsg, e));
    }
  };

  const over = month?.limit != null && month.sent >= month.limit;
  const busy = phase !== 'edit';
  const toHash = study ? study.bytes + (withAttachments ? (found?.summary.attachments.reduce((a, x) => a + x.size, 0) ?? 0) : 0) : 0;

  if (phase === 'done') {
    return (
      <div className="mx-auto max-w-3xl">
        <PageTitle>{t('title')}</PageTitle>
        <Alert tone="success" title={t('done.title')}>
          {t('done.text', { recipient: `${target?.entry.name} – ${target?.mailbox.name}` })}
        </Alert>
        <div className="mt-4 flex flex-wrap gap-3">
          <Link href="/app/studien?box=sent" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
            {t('done.log')}
          </Link>
          <button type="button" onClick={() => window.location.reload()} className="rounded-md px-4 py-2 text-sm font-semibold text-brand-700 ring-1 ring-brand-300">
            {t('done.another')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {mbError && <Alert tone="error">{eMsg(mbError)}</Alert>}
      {mailboxes && mailboxes.length === 0 && <Alert tone="warning">{t('noMailbox')}</Alert>}
      {month && (
        <p className="text-sm text-slate-600" data-testid="month-quota">
          {month.limit === null ? t('quota.unlimited', { sent: month.sent }) : t('quota.limited', { sent: month.sent, limit: month.limit })}
        </p>
      )}
      {over && <Alert tone="warning">{eMsg('studies_month_limit')}</Alert>}

      <Card>
        <h2 className="mb-3 text-lg font-semibold text-slate-900">{t('steps.files')}</h2>
        {!busy && <DropZone onPicked={(p) => void onPicked(p)} compact={!!found} />}
        {inspecting && <p className="mt-3 text-sm text-slate-600" role="status">{t('pick.checking', inspecting)}</p>}
        {found && (
          <div className="mt-4 space-y-3">
            {found.summary.studies.length === 0 && <Alert tone="warning">{t('summary.noStudy')}</Alert>}
            {found.summary.studies.length > 1 && <p className="text-sm text-slate-700">{t('summary.several', { n: found.summary.studies.length })}</p>}
            {found.summary.studies.map((s, i) => (
              <StudyCard key={s.studyInstanceUid} s={s} selected={i === chosen} onSelect={() => setChosen(i)} selectable={found.summary.studies.length > 1} />
            ))}
            {found.summary.attachments.length > 0 && (
              <label className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" checked={withAttachments} onChange={(e) => setWithAttachments(e.target.checked)} disabled={busy} />
                {t('summary.withAttachments')}
              </label>
            )}
            <Skipped summary={found.summary} />
          </div>
        )}
      </Card>

      <Card>
        <h2 className="mb-3 text-lg font-semibold text-slate-900">{t('steps.recipient')}</h2>
        <RecipientPicker value={target} onChange={busy ? () => undefined : setTarget} />
        {mailboxes && mailboxes.length > 1 && (
          <label className="mt-4 block text-sm font-medium text-slate-800">
            {t('from')}
            <select value={from?.view.id ?? ''} onChange={(e) => setFromId(e.target.value)} disabled={busy} className="mt-1 block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300">
              {mailboxes.map((m) => (
                <option key={m.view.id} value={m.view.id}>
                  {m.view.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label htmlFor="study-message" className="mt-4 block text-sm font-medium text-slate-800">
          {t('message')}
        </label>
        <textarea
          id="study-message"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={5000}
          rows={4}
          disabled={busy}
          placeholder={t('messagePlaceholder')}
          className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
        />
        <p className="mt-1 text-xs text-slate-500">{t('messageHint')}</p>
      </Card>

      {error && <Alert tone="error">{error}</Alert>}
      {phase === 'hashing' && <p className="text-sm text-slate-600" role="status">{t('hashing', { pct: toHash ? Math.round((hashed / toHash) * 100) : 0 })}</p>}
      {phase === 'uploading' && upload.progress && <UploadPanel progress={upload.progress} paused={upload.paused} onPause={upload.pause} onResume={upload.resume} />}
      {phase === 'uploading' && error && registered && <Button onClick={() => void runUpload(registered)}>{t('upload.retry')}</Button>}
      {phase === 'edit' && (
        <Button onClick={() => void send()} disabled={!keys || !study || study.patientsDiffer || !target || !from || over}>
          {t('send')}
        </Button>
      )}
    </div>
  );
}
