'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorCode } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { loadMailboxes, openMailbox, type OpenedMailbox } from '@/lib/client/mailboxes';
import { openEventStream } from '@/lib/client/sse';
import { loadStudies, openStudy, sendReceipt, type OpenedStudy, type StudyView } from '@/lib/client/studies/open';

/** The mailboxes this member may use, opened (every key version they hold). */
export function useOpenedMailboxes() {
  const keys = useKeys();
  const [mailboxes, setMailboxes] = useState<OpenedMailbox[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!keys) return;
    let live = true;
    loadMailboxes()
      .then((views) => live && setMailboxes(views.map((v) => openMailbox(keys, v))))
      .catch((e: unknown) => live && setError(errorCode(e)));
    return () => {
      live = false;
    };
  }, [keys]);
  return { keys, mailboxes, error };
}

/** A study in a list: opened, or refused with the reason (shown in the row, never hidden). */
export type ListedStudy = { view: StudyView; opened: OpenedStudy | null; error: string | null };

/** Calls `onChange` when a study arrives or a receipt changes, live. */
export function useStudyEvents(onChange: () => void) {
  const ref = useRef(onChange);
  useEffect(() => {
    ref.current = onChange;
  }, [onChange]);
  useEffect(() => {
    const handle = openEventStream('/api/studies/stream', { onEvent: (e) => e.event === 'study' && ref.current() });
    return () => handle.close();
  }, []);
}

/**
 * The inbox or the send log, each study opened and checked in this browser.
 * New arrivals are acknowledged ("zugestellt") with a receipt signed here.
 */
export function useStudyList(box: 'inbox' | 'sent') {
  const { keys, mailboxes, error: mailboxError } = useOpenedMailboxes();
  const [studies, setStudies] = useState<ListedStudy[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    if (!keys || !mailboxes) return;
    const open = async (view: StudyView): Promise<ListedStudy> => {
      try {
        const opened = await openStudy(keys, mailboxes, view);
        if (box === 'inbox' && !view.delivered) await sendReceipt(keys, opened, 'delivered').catch(() => undefined);
        return { view, opened, error: null };
      } catch (e) {
        return { view, opened: null, error: errorCode(e) };
      }
    };
    loadStudies(box)
      .then((views) => Promise.all(views.map(open)))
      .then((listed) => {
        setStudies(listed);
        setError(null);
      })
      .catch((e: unknown) => setError(errorCode(e)));
  }, [keys, mailboxes, box]);

  useEffect(() => reload(), [reload]);
  useStudyEvents(reload);

  return { studies, error: error ?? mailboxError, reload, mailboxes };
}
