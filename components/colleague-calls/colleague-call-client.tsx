'use client';
import { useEffect, useMemo, useState } from 'react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { PageTitle } from '@/components/ui/card';
import { api, errorCode, type Json } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { colleagueCallKey, type CallParties } from '@/lib/protocol/colleague-call';
import { ed25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { CryptoError } from '@/lib/crypto/types';
import type { ColleagueCallInfo } from '@/lib/colleague-calls/service';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { ColleagueCallStage, type ColleagueCallSetup } from './call-stage';

type Info = Json<ColleagueCallInfo>;

/** Camera and microphone if there are any; the call goes on without what is missing. */
async function localMedia(): Promise<{ stream: MediaStream; complete: boolean }> {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video: true, audio: true }), complete: true };
  } catch {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia({ audio: true }), complete: false };
    } catch {
      return { stream: new MediaStream(), complete: false };
    }
  }
}

/** The key of this call, only after the other member's certificate checked out under the pinned organisation key. */
function deriveSetup(info: Info, keys: UnlockedKeys): ColleagueCallSetup {
  if (!keys.orgSignPrivate) throw new CryptoError('key_signature_invalid', 'no pinned organisation signing key');
  const parties: CallParties = { orgId: info.orgId, callId: info.id, callerId: info.callerId, calleeId: info.calleeId };
  const key = colleagueCallKey({
    orgSignPublic: toB64u(ed25519PublicFromPrivate(keys.orgSignPrivate)),
    parties,
    // The organisation is ours (the keys'), not whatever the server names.
    me: { side: info.side, userId: keys.userId, x25519Private: keys.x25519Private, x25519Public: toB64u(keys.x25519Public) },
    peer: { orgId: keys.orgId, userId: info.peer.userId, x25519Public: info.peer.x25519Public, ed25519Public: info.peer.ed25519Public, memberCert: info.peer.memberCert },
  });
  return { callId: info.id, side: info.side, parties, key, ice: info.ice, peerName: info.peer.shortName, state: info.state, ringsUntil: info.ringsUntil };
}

export function ColleagueCallClient({ id }: { id: string }) {
  const t = useTranslations('colleagueCalls');
  const eMsg = useErrorMessage();
  const keys = useKeys();
  const [info, setInfo] = useState<Info | null>(null);
  const [media, setMedia] = useState<{ stream: MediaStream; complete: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let got: MediaStream | null = null;
    Promise.all([api<Info>(`/api/colleague-calls/${id}`), localMedia()])
      .then(([i, m]) => {
        got = m.stream;
        if (!live) return m.stream.getTracks().forEach((tr) => tr.stop());
        setInfo(i);
        setMedia(m);
      })
      .catch((e: unknown) => live && setError(eMsg(errorCode(e))));
    return () => {
      live = false;
      got?.getTracks().forEach((tr) => tr.stop());
    };
  }, [id, eMsg]);

  // Once per call and keys: the stage keeps its connection as long as the setup stays the same object.
  const derived = useMemo((): { setup: ColleagueCallSetup | null; keyError: string | null } => {
    if (!info || !keys) return { setup: null, keyError: null };
    try {
      return { setup: deriveSetup(info, keys), keyError: null };
    } catch (e) {
      return { setup: null, keyError: errorCode(e) };
    }
  }, [info, keys]);
  const { setup } = derived;
  const keyError = derived.keyError ? eMsg(derived.keyError) : null;

  return (
    <div className="space-y-4">
      <PageTitle>{t('pageTitle', { name: info?.peer.shortName ?? '…' })}</PageTitle>
      {(error || keyError) && (
        <Alert tone="error">
          <span data-testid="call-error">{error ?? keyError}</span>
        </Alert>
      )}
      {media && !media.complete && <Alert tone="info">{t('noMedia')}</Alert>}
      {setup && media && <ColleagueCallStage setup={setup} local={media.stream} />}
      <p className="text-center text-sm">
        <Link href="/app/stammdaten/benutzer" className="font-medium text-brand-700 underline">
          {t('backToMembers')}
        </Link>
      </p>
    </div>
  );
}
