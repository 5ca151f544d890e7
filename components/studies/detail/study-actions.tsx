'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert } from '@/components/ui/alert';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { api } from '@/lib/client/api';
import type { OpenedStudy } from '@/lib/client/studies/open';
import { canSaveToFolder, saveStudyToFolder, saveStudyZip } from '@/lib/client/studies/files';

/** Download (ZIP or into a folder, the original files byte for byte) and delete. */
export function StudyActions({ study, onView, viewing }: { study: OpenedStudy; onView: () => void; viewing: boolean }) {
  const t = useTranslations('studyDetail.actions');
  const eMsg = useErrorMessage();
  const router = useRouter();
  const [busy, setBusy] = useState<'zip' | 'folder' | 'delete' | null>(null);
  const [note, setNote] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [confirm, setConfirm] = useState(false);
  const available = study.view.complete && !study.view.recipientDeleted;
  const inbox = study.view.box === 'inbox';

  const run = async (kind: 'zip' | 'folder') => {
    setBusy(kind);
    setNote(null);
    try {
      const r = kind === 'zip' ? await saveStudyZip(study) : await saveStudyToFolder(study);
      if (r === 'saved') setNote({ tone: 'success', text: t('saved') });
    } catch (e) {
      setNote({ tone: 'error', text: errorText(eMsg, e) });
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    setBusy('delete');
    try {
      await api(`/api/studies/${study.view.id}`, { method: 'DELETE' });
      router.push(inbox ? '/app/studien' : '/app/studien?box=sent');
    } catch (e) {
      setNote({ tone: 'error', text: errorText(eMsg, e) });
      setBusy(null);
      setConfirm(false);
    }
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        {available && <Button onClick={onView}>{viewing ? t('hide') : t('view')}</Button>}
        {available && (
          <Button variant="secondary" onClick={() => void run('zip')} pending={busy === 'zip'} disabled={!!busy}>
            {t('download')}
          </Button>
        )}
        {available && canSaveToFolder() && (
          <Button variant="secondary" onClick={() => void run('folder')} pending={busy === 'folder'} disabled={!!busy}>
            {t('folder')}
          </Button>
        )}
        <Button variant="ghost" onClick={() => setConfirm(true)} disabled={!!busy}>
          {inbox ? t('delete') : t('hideSent')}
        </Button>
      </div>
      {note && <Alert tone={note.tone}>{note.text}</Alert>}
      <Dialog open={confirm} onClose={() => setConfirm(false)} title={inbox ? t('deleteTitle') : t('hideSentTitle')}>
        <p className="text-sm text-slate-700">{inbox ? t('deleteText') : study.view.complete ? t('hideSentText') : t('withdrawText')}</p>
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirm(false)}>
            {t('cancel')}
          </Button>
          <Button variant="danger" onClick={() => void remove()} pending={busy === 'delete'}>
            {inbox ? t('delete') : t('hideSent')}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
