'use client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { Dialog } from '@/components/ui/dialog';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { api, errorCode } from '@/lib/client/api';
import { openEventStream } from '@/lib/client/sse';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { askNotificationsOnGesture, startRingTone } from './ring-tone';
import { PhoneIcon } from './phone-icon';

/** How long a call rings here; the server counts it as missed after the same time (RING_MS). */
const RING_MS = 45_000;

type Ring = { callId: string; callerShortName: string; createdAt: string };

/**
 * Every signed-in tab listens for calls from colleagues: a ringing dialog with
 * the caller's name, a ring tone, and a notification where the member allowed
 * them. Answering in one tab stops the others.
 */
export function IncomingCalls() {
  const t = useTranslations('colleagueCalls');
  const eMsg = useErrorMessage();
  const router = useRouter();
  const [rings, setRings] = useState<Ring[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tRef = useRef(t);
  useLayoutEffect(() => {
    tRef.current = t;
  });

  useEffect(() => {
    const drop = (callId: string) => setRings((rs) => rs.filter((r) => r.callId !== callId));
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const sse = openEventStream('/api/colleague-calls/stream', {
      onEvent: (e) => {
        try {
          if (e.event === 'ring') {
            const r = JSON.parse(e.data) as Ring & { side: string };
            if (r.side !== 'callee') return;
            setRings((rs) => (rs.some((x) => x.callId === r.callId) ? rs : [...rs, { callId: r.callId, callerShortName: r.callerShortName, createdAt: r.createdAt }]));
            const left = Math.max(0, new Date(r.createdAt).getTime() + RING_MS - Date.now());
            timers.set(r.callId, setTimeout(() => drop(r.callId), left));
            if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
              try {
                const n = new Notification(tRef.current('notificationTitle', { name: r.callerShortName }), { body: tRef.current('notificationBody'), tag: `konsil-call-${r.callId}` });
                n.onclick = () => window.focus();
              } catch {
                // notifications unavailable here (e.g. only from a service worker)
              }
            }
          } else if (e.event === 'call') {
            const c = JSON.parse(e.data) as { callId: string; state: string };
            if (c.state !== 'ringing') drop(c.callId);
          }
        } catch {
          // malformed event: ignore
        }
      },
    });
    return () => {
      sse.close();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, []);

  const current = rings[0] ?? null;
  const ringing = current?.callId;
  useEffect(() => {
    if (!ringing) return;
    return startRingTone();
  }, [ringing]);

  const act = async (r: Ring, what: 'accept' | 'decline') => {
    askNotificationsOnGesture();
    setBusy(true);
    setError(null);
    try {
      await api(`/api/colleague-calls/${r.callId}/${what}`, { body: {} });
      setRings((rs) => rs.filter((x) => x.callId !== r.callId));
      if (what === 'accept') router.push(`/app/anruf/${r.callId}`);
    } catch (e) {
      setError(eMsg(errorCode(e)));
      setRings((rs) => rs.filter((x) => x.callId !== r.callId));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && (
        <div className="mx-auto max-w-6xl px-4 pt-4">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      <Dialog open={!!current} onClose={() => current && void act(current, 'decline')} title={t('incomingTitle')} testId="incoming-call">
        {current && (
          <div className="space-y-5">
            <p className="flex items-center gap-3 text-lg">
              <span className="inline-flex h-12 w-12 items-center justify-center rounded-full bg-emerald-100 text-emerald-800 motion-safe:animate-pulse" aria-hidden>
                <PhoneIcon className="h-6 w-6" />
              </span>
              <span data-testid="incoming-caller">{t('incomingText', { name: current.callerShortName })}</span>
            </p>
            <div className="flex flex-wrap justify-end gap-3">
              <Button type="button" variant="danger" disabled={busy} onClick={() => void act(current, 'decline')} data-testid="decline-call">
                {t('decline')}
              </Button>
              <Button type="button" pending={busy} onClick={() => void act(current, 'accept')} data-testid="accept-call" className="bg-emerald-700 hover:bg-emerald-800">
                {t('accept')}
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
