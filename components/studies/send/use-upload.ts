'use client';
import { useCallback, useRef, useState } from 'react';
import { uploadStudy, type Registered, type StudyUpload, type UploadProgress } from '@/lib/client/studies/send';

/** Runs a study's upload with progress, pause and resume. */
export function useUpload() {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [paused, setPaused] = useState(false);
  const current = useRef<StudyUpload | null>(null);
  const start = useCallback(async (reg: Registered) => {
    setPaused(false);
    const up = uploadStudy(reg, setProgress);
    current.current = up;
    try {
      await up.done;
    } finally {
      current.current = null;
    }
  }, []);
  const pause = useCallback(() => {
    current.current?.pause();
    setPaused(true);
  }, []);
  const resume = useCallback(() => {
    current.current?.resume();
    setPaused(false);
  }, []);
  return { progress, paused, start, pause, resume };
}
