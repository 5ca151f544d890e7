'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { api, type Json } from '@/lib/client/api';
import { askNotificationsOnGesture } from './ring-tone';
import { PhoneIcon } from './phone-icon';

/** Starts a call to a colleague and opens the call view, where it rings until answered. */
export function CallButton({
  userId,
  name,
  onError,
  variant = 'secondary',
  callBack = false,
}: {
  userId: string;
  name: string;
  onError: (e: unknown) => void;
  variant?: 'secondary' | 'ghost';
  /** From the missed-calls list: "Zurückrufen". */
  callBack?: boolean;
}) {
  const t = useTranslations('colleagueCalls');
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const call = async () => {
    askNotificationsOnGesture();
    setBusy(true);
    try {
      const { id } = await api<Json<{ id: string }>>('/api/colleague-calls', { body: { calleeId: userId } });
      router.push(`/app/anruf/${id}`);
    } catch (e) {
      onError(e);
      setBusy(false);
    }
  };
  return (
    <Button type="button" variant={variant} pending={busy} onClick={() => void call()} aria-label={callBack ? t('callBackMember', { name }) : t('callMember', { name })} data-testid="call-member">
      <PhoneIcon />
      {callBack ? t('callBack') : t('call')}
    </Button>
  );
}
