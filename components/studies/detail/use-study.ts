'use client';
import { useCallback, useEffect, useState } from 'react';
import { api, errorCode } from '@/lib/client/api';
import { openStudy, sendReceipt, type OpenedStudy, type StudyView } from '@/lib/client/studies/open';
import { useOpenedMailboxes, useStudyEvents } from '../use-studies';

/**
 * One study, opened and checked in this browser. A recipient's first look
 * is the receipt "geöffnet" (and "zugestellt", if no one acknowledged it yet),
 * signed here.
 */
export function useStudy(id: string) {
  const { keys, mailboxes } = useOpenedMailboxes();
  const [study, setStudy] = useState<OpenedStudy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);

  const reload = useCallback(() => {
    if (!keys || !mailboxes) return;
    api<{ study: StudyView }>(`/api/studies/${id}`)
      .then(async ({ study: view }) => {
        const opened = await openStudy(keys, mailboxes, view);
        setStudy(opened);
        if (view.box === 'inbox' && (!view.delivered || !view.opened)) {
          await sendReceipt(keys, opened, 'delivered').catch(() => undefined);
          await sendReceipt(keys, opened, 'opened').catch(() => undefined);
          // Shown as the sender sees it: read back once, signed and stored.
          const { study: again } = await api<{ study: StudyView }>(`/api/studies/${id}`);
          setStudy(await openStudy(keys, mailboxes, again));
        }
      })
      .catch((e: unknown) => {
        const code = errorCode(e);
        if (code === 'not_found') setGone(true);
        else setError(code);
      });
  }, [keys, mailboxes, id]);

  useEffect(() => reload(), [reload]);
  useStudyEvents(reload);
  return { study, error, gone, keys };
}
