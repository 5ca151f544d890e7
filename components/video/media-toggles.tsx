'use client';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';

/** Microphone and camera switches of every call view. */
export function MediaToggles({ mic, cam, onMic, onCam }: { mic: boolean; cam: boolean; onMic: (on: boolean) => void; onCam: (on: boolean) => void }) {
  const t = useTranslations('video');
  return (
    <>
      <Button type="button" variant="secondary" aria-pressed={!mic} data-testid="toggle-mic" onClick={() => onMic(!mic)}>
        {mic ? t('mute') : t('unmute')}
      </Button>
      <Button type="button" variant="secondary" aria-pressed={!cam} data-testid="toggle-camera" onClick={() => onCam(!cam)}>
        {cam ? t('cameraOff') : t('cameraOn')}
      </Button>
    </>
  );
}
