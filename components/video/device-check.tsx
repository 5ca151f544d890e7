'use client';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

type Devices = { cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] };

/**
 * Camera and microphone check before a call: live preview, a level meter,
 * and a choice of devices. Hands the chosen stream to the parent.
 */
export function DeviceCheck({ onStream, compact = false }: { onStream: (s: MediaStream | null) => void; compact?: boolean }) {
  const t = useTranslations('video');
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [devices, setDevices] = useState<Devices>({ cameras: [], microphones: [] });
  const [camera, setCamera] = useState('');
  const [microphone, setMicrophone] = useState('');
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<'denied' | 'unavailable' | null>(null);
  const [pending, setPending] = useState(true);

  // The parent's callback as of the last render, so that acquiring a stream does not depend on its identity.
  const onStreamRef = useRef(onStream);
  useLayoutEffect(() => {
    onStreamRef.current = onStream;
  });

  /** Asks for camera and microphone; state changes only once the browser answered. */
  const acquire = useCallback((cam: string, mic: string) => {
    streamRef.current?.getTracks().forEach((tr) => tr.stop());
    return navigator.mediaDevices
      .getUserMedia({
        video: cam ? { deviceId: { exact: cam }, width: { ideal: 1280 }, height: { ideal: 720 } } : { width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: mic ? { deviceId: { exact: mic }, echoCancellation: true, noiseSuppression: true } : { echoCancellation: true, noiseSuppression: true },
      })
      .then(async (s) => {
        streamRef.current = s;
        if (videoRef.current) videoRef.current.srcObject = s;
        const list = await navigator.mediaDevices.enumerateDevices();
        setDevices({ cameras: list.filter((d) => d.kind === 'videoinput'), microphones: list.filter((d) => d.kind === 'audioinput') });
        setCamera(s.getVideoTracks()[0]?.getSettings().deviceId ?? cam);
        setMicrophone(s.getAudioTracks()[0]?.getSettings().deviceId ?? mic);
        onStreamRef.current(s);
      })
      .catch((e: unknown) => {
        streamRef.current = null;
        onStreamRef.current(null);
        setError(e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError') ? 'denied' : 'unavailable');
      })
      .finally(() => setPending(false));
  }, []);
  const open = (cam: string, mic: string) => {
    setPending(true);
    setError(null);
    return acquire(cam, mic);
  };

  // Once, on mount (pending from the start). The chosen stream belongs to the
  // parent from here on (it goes into the call); the parent stops it when it is done.
  useEffect(() => {
    void acquire('', '');
  }, [acquire]);

  // Microphone level, so the patient sees that they are heard.
  useEffect(() => {
    const s = streamRef.current;
    if (!s || !s.getAudioTracks().length) return;
    const ctx = new AudioContext();
    const src = ctx.createMediaStreamSource(s);
    const an = ctx.createAnalyser();
    an.fftSize = 512;
    src.connect(an);
    const buf = new Uint8Array(an.fftSize);
    let raf = 0;
    const tick = () => {
      an.getByteTimeDomainData(buf);
      let peak = 0;
      for (const v of buf) peak = Math.max(peak, Math.abs(v - 128));
      setLevel(Math.min(1, peak / 64));
      raf = requestAnimationFrame(tick);
    };
    tick();
    return () => {
      cancelAnimationFrame(raf);
      void ctx.close();
    };
  }, [camera, microphone, pending]);

  return (
    <div className={`grid gap-4 ${compact ? '' : 'md:grid-cols-[3fr_2fr]'}`}>
      <div className="relative overflow-hidden rounded-lg bg-slate-900" style={{ aspectRatio: '16 / 9' }}>
        <video ref={videoRef} autoPlay playsInline muted className="h-full w-full -scale-x-100 object-cover" data-testid="preview-video" aria-label={t('preview')} />
        {pending && <p className="absolute inset-0 flex items-center justify-center text-sm text-white">{t('startingCamera')}</p>}
      </div>
      <div className="space-y-3">
        {error && (
          <Alert tone="warning" title={t(error === 'denied' ? 'devicesDenied' : 'devicesUnavailable')}>
            <p>{t('devicesHelp')}</p>
            <Button type="button" variant="secondary" className="mt-2" onClick={() => void open(camera, microphone)}>
              {t('retryDevices')}
            </Button>
          </Alert>
        )}
        <label className="block text-sm font-medium text-slate-800">
          {t('camera')}
          <select
            className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300"
            value={camera}
            onChange={(e) => {
              setCamera(e.target.value);
              void open(e.target.value, microphone);
            }}
            disabled={!devices.cameras.length}
          >
            {devices.cameras.map((d, i) => (
              <option key={d.deviceId || i} value={d.deviceId}>
                {d.label || t('cameraN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium text-slate-800">
          {t('microphone')}
          <select
            className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300"
            value={microphone}
            onChange={(e) => {
              setMicrophone(e.target.value);
              void open(camera, e.target.value);
            }}
            disabled={!devices.microphones.length}
          >
            {devices.microphones.map((d, i) => (
              <option key={d.deviceId || i} value={d.deviceId}>
                {d.label || t('microphoneN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
        <div>
          <p className="text-sm font-medium text-slate-800" id="mic-level-label">
            {t('micLevel')}
          </p>
          <div
            className="mt-1 h-2 w-full overflow-hidden rounded bg-slate-200"
            role="meter"
            aria-labelledby="mic-level-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(level * 100)}
          >
            <div className="h-full bg-emerald-500 transition-[width] duration-75" style={{ width: `${Math.round(level * 100)}%` }} />
          </div>
        </div>
      </div>
    </div>
  );
}
