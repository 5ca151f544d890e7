'use client';
import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`: for what a page shows as "now" (render stays pure). */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
