'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { api } from '@/lib/client/api';
import { openStudy, type OpenedStudy, type StudyView } from '@/lib/client/studies/open';
import { matchForResume, type Picked } from '@/lib/client/studies/prepare';
import type { Registered } from '@/lib/client/studies/send';
import { dicomDate, personName } from '@/lib/studies/format';
import { useOpenedMailboxes } from '../use-studies';
import { DropZone } from './drop-zone';
import { UploadPanel } from './upload-panel';
import { useUpload } from './use-upload';

type Loaded = { study: OpenedStudy; pending: { fileId: string; bytes: number }[] };

/**
 * Continues an upload that stopped (page closed, server restarted): the study
 * key comes back from the sending mailbox, the user picks the same files
 * again, each is checked by SHA-256, and tus continues each file where the
 * server stopped.
 */
export function ResumeClient({ id }: { id: string }) {
  const t = useTranslations('studySend');
  const eMsg = useErrorMessage();
  const { keys, mailboxes } = useOpenedMailboxes();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState<{ done: number; total: number } | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [reg, setReg] = useState<Registered | null>(null);
  const [done, setDone] = useState(false);
  const upload = useUpload();

  useEffect(() => {
    if (!keys || !mailboxes) return;
    api<{ study: StudyView & { files: { fileId: string; bytes: number; complete: boolean }[] } }>(`/api/studies/${id}`)
      .then(async ({ study }) => {
        if (study.complete) return setDone(true);
        const opened = await openStudy(keys, mailboxes, study);
        setLoaded({ study: opened, pending: study.files.filter((f) => !f.complete) });
      })
      .catch((e: unknown) => setError(errorText(eMsg, e)));
  }, [keys, mailboxes, id, eMsg]);

  const run = async (r: Registered) => {
    setError(null);
    try {
      await upload.start(r);
      setDone(true);
    } catch (e) {
      setError(errorText(eMsg, e));
    }
  };

  const onPicked = async (picked: Picked[]) => {
    if (!loaded) return;
    const files = loaded.study.manifest.files.filter((f) => loaded.pending.some((p) => p.fileId === f.fileId));
    setChecking({ done: 0, total: files.length });
    const { matched, missing: gone } = await matchForResume(files, picked, (n) => setChecking({ done: n, total: files.length }));
    setChecking(null);
    setMissing(gone);
    if (gone.length) return;
    const r: Registered = {
      studyId: id,
      studyKey: loaded.study.studyKey,
      recipientOrgId: loaded.study.view.recipient.orgId,
      files: loaded.pending.map((p) => ({ fileId: p.fileId, bytes: p.bytes, file: matched.get(p.fileId)! })),
    };
    setReg(r);
    await run(r);
  };

  if (done) {
    return (
      <div className="mx-auto max-w-3xl">
        <PageTitle>{t('resume.title')}</PageTitle>
        <Alert tone="success">{t('resume.complete')}</Alert>
        <Link href="/app/studien?box=sent" className="mt-4 inline-block text-sm font-semibold text-brand-700 hover:underline">
          {t('done.log')}
        </Link>
      </div>
    );
  }
  const m = loaded?.study.manifest;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageTitle intro={t('resume.intro')}>{t('resume.title')}</PageTitle>
      {error && <Alert tone="error">{error}</Alert>}
      {loaded && m && (
        <Card>
          <p className="font-semibold text-slate-900">
            {personName(m.patient.name)} · {dicomDate(m.patient.birthDate)}
          </p>
          <p className="text-sm text-slate-700">
            {dicomDate(m.study.date)} · {m.study.description} → {loaded.study.view.recipient.orgName} – {loaded.study.view.recipient.mailboxName}
          </p>
          <p className="mt-2 text-sm text-slate-600" data-testid="resume-state">
            {t('resume.state', { left: loaded.pending.length, total: m.files.length })}
          </p>
          {!reg && (
            <div className="mt-4">
              <DropZone onPicked={(p) => void onPicked(p)} compact />
            </div>
          )}
          {checking && <p className="mt-3 text-sm text-slate-600" role="status">{t('resume.checking', checking)}</p>}
          {missing.length > 0 && (
            <Alert tone="warning" className="mt-3">
              {t('resume.missing', { n: missing.length })} {missing.slice(0, 5).join(', ')}
            </Alert>
          )}
        </Card>
      )}
      {reg && upload.progress && <UploadPanel progress={upload.progress} paused={upload.paused} onPause={upload.pause} onResume={upload.resume} />}
      {reg && error && <Button onClick={() => void run(reg)}>{t('upload.retry')}</Button>}
    </div>
  );
}
