'use client';
import { useCallback, useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { api, errorCode } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { loadMailboxes, reconcileMailboxes, type MailboxView, type Member } from '@/lib/client/mailboxes';
import { useSession } from '@/components/app/session-context';

/**
 * The mailboxes this member may use, and for admins the members to choose
 * from. An admin's browser first completes what only it can: the main
 * mailbox, new keys after someone left, admins missing from a mailbox.
 */
export function useMailboxes() {
  const keys = useKeys();
  const s = useSession();
  const tm = useTranslations('mailboxes');
  const isAdmin = s.role !== 'member';
  const [state, setState] = useState<{ views: MailboxView[]; members: Member[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mainName = tm('mainName');

  const reload = useCallback(async () => {
    const [views, members] = await Promise.all([loadMailboxes(), isAdmin ? api<{ members: Member[] }>('/api/members').then((r) => r.members) : Promise.resolve([])]);
    setState({ views, members });
    return { views, members };
  }, [isAdmin]);

  useEffect(() => {
    if (!keys) return;
    let live = true;
    (async () => {
      const { views, members } = await reload();
      if (live && isAdmin && (await reconcileMailboxes(keys, views, members, mainName))) await reload();
    })().catch((e: unknown) => live && setError(errorCode(e)));
    return () => {
      live = false;
    };
  }, [keys, isAdmin, reload, mainName]);

  return { state, error, setError, reload, keys, isAdmin, plan: s.plan };
}
