'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';

/** The current time, refreshed every `everyMs`: for what a page shows as "now" (render stays pure). */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

const subscribeMinute = (onChange: () => void) => {
  const timer = window.setInterval(onChange, 60_000);
  return () => window.clearInterval(timer);
};
const thisMinute = () => Math.floor(Date.now() / 60_000) * 60_000;
const noTimeYet = () => null;

/**
 * The current minute, but null while the server renders and while the page
 * hydrates: for server-rendered pages, whose HTML must not carry the server's
 * clock into a browser whose clock says otherwise (React would discard the
 * page's HTML, and what the user typed, to render it anew).
 */
export function useClientMinute(): number | null {
  return useSyncExternalStore(subscribeMinute, thisMinute, noTimeYet);
}
